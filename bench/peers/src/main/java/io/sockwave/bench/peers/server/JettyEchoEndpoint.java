package io.sockwave.bench.peers.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Echo with Jetty's auto-demanding listener. A text message goes back with a no-op callback; a binary message's
 * buffer is handed to the send along with the receive callback, so Jetty releases it once sent, with no copy.
 *
 * <p>Public because Jetty binds the listener's methods through a public method lookup.
 */
public final class JettyEchoEndpoint extends Session.Listener.AbstractAutoDemanding {
    @Override
    public void onWebSocketText(String message) {
        getSession().sendText(message, Callback.NOOP);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        getSession().sendBinary(payload, callback);
    }
}
