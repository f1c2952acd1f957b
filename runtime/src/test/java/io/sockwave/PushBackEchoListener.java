package io.sockwave;

import java.nio.ByteBuffer;

/**
 * Echoes every message and follows the documented backpressure pattern, as {@code sockwave serve}'s {@code /echo}
 * does: reading stops when the session turns unwritable and starts again in {@code onWritable}.
 */
class PushBackEchoListener implements Listener {
    @Override
    public void onText(Session session, String text) {
        session.sendText(text);
        pushBack(session);
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        session.sendBinary(data);
        pushBack(session);
    }

    @Override
    public void onWritable(Session session) {
        session.resumeReading();
    }

    private static void pushBack(Session session) {
        if (!session.isWritable()) {
            session.suspendReading();
        }
    }
}
