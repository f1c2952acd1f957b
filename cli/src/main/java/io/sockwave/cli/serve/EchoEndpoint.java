package io.sockwave.cli.serve;

import io.sockwave.Listener;
import io.sockwave.Session;
import java.nio.ByteBuffer;

/**
 * The {@code /echo} endpoint: every message goes back unchanged, text as text and binary as binary. A client that
 * sends faster than it reads is pushed back: reading stops while its echoes wait to be written.
 */
final class EchoEndpoint implements Listener {
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
