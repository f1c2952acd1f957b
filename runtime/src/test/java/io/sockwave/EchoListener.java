package io.sockwave;

import java.nio.ByteBuffer;

/** Echoes every message back, as the example server in the README does. */
class EchoListener implements Listener {
    @Override
    public void onText(Session session, String text) {
        session.sendText(text);
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        session.sendBinary(data);
    }
}
