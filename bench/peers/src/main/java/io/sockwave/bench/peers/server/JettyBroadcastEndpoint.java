package io.sockwave.bench.peers.server;

import java.util.Set;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Fan-out the way Jetty applications usually do it: a concurrent set of open sessions, and {@code sendText} to each
 * with a no-op callback.
 *
 * <p>Public because Jetty binds the listener's methods through a public method lookup.
 */
public final class JettyBroadcastEndpoint extends Session.Listener.AbstractAutoDemanding {
    private final Set<Session> subscribers;

    JettyBroadcastEndpoint(Set<Session> subscribers) {
        this.subscribers = subscribers;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        super.onWebSocketOpen(session);
        subscribers.add(session);
    }

    @Override
    public void onWebSocketText(String message) {
        for (Session session : subscribers) {
            session.sendText(message, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        subscribers.remove(getSession());
    }
}
