package io.sockwave;

import io.sockwave.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A listener that passes every event on to another one. It wraps an endpoint with behaviour of one's own (a log line
 * per connection, metrics, state kept beside the endpoint) without writing out every callback: a subclass overrides
 * the events it intercepts and calls {@code super} where the endpoint should see them too.
 *
 * <pre>{@code
 * Listener logged = new ForwardingListener(endpoint) {
 *     @Override
 *     public void onOpen(Session session) {
 *         log.info("open " + session.remoteAddress());
 *         super.onOpen(session);
 *     }
 * };
 * }</pre>
 */
public abstract class ForwardingListener implements Listener {
    private final Listener delegate;

    /**
     * @param delegate the listener every event is passed on to
     */
    protected ForwardingListener(Listener delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void onOpen(Session session) {
        delegate.onOpen(session);
    }

    @Override
    public void onText(Session session, String text) {
        delegate.onText(session, text);
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        delegate.onBinary(session, data);
    }

    @Override
    public void onFragment(Session session, Opcode type, ByteBuffer data, boolean last) {
        delegate.onFragment(session, type, data, last);
    }

    @Override
    public void onPing(Session session, ByteBuffer payload) {
        delegate.onPing(session, payload);
    }

    @Override
    public void onPong(Session session, ByteBuffer payload) {
        delegate.onPong(session, payload);
    }

    @Override
    public void onWritable(Session session) {
        delegate.onWritable(session);
    }

    @Override
    public void onError(Session session, Throwable error) {
        delegate.onError(session, error);
    }

    @Override
    public void onClose(Session session, int code, String reason) {
        delegate.onClose(session, code, reason);
    }
}
