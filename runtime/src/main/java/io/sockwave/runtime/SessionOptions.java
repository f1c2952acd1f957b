package io.sockwave.runtime;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.extension.ExtensionFactory;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The settings of {@link io.sockwave.SessionSettings} as the runtime reads them: durations in nanoseconds, 0 for
 * "off".
 *
 * @param limits frame, message and handshake limits
 * @param handshakeNanos opening handshake deadline
 * @param idleNanos idle timeout, 0 for none
 * @param closeNanos close handshake deadline
 * @param pingNanos keepalive ping interval, 0 for none
 * @param pongNanos pong deadline after a keepalive ping
 * @param sendNanos how long a queued frame may wait for the socket
 * @param lowWatermark queued bytes at which a session is writable again
 * @param highWatermark queued bytes at which a session becomes unwritable
 * @param outboundLimit the most bytes a session may queue
 * @param closeOnLimit whether reaching the limit closes the session with 1008 (else the send just fails)
 * @param subprotocols subprotocols spoken or offered
 * @param extensions extension factories
 * @param streaming deliver data as fragments
 * @param autoPong answer pings automatically
 * @param executor where callbacks run; null for the event loop
 * @param stallNanos how long a message that has begun may go without a byte more of it; 0 for no limit
 * @param lendBinary lend binary messages to the listener instead of giving them
 */
public record SessionOptions(Limits limits, long handshakeNanos, long idleNanos, long closeNanos, long pingNanos,
                             long pongNanos, long sendNanos, int lowWatermark, int highWatermark, long outboundLimit,
                             boolean closeOnLimit, List<String> subprotocols, List<ExtensionFactory> extensions,
                             boolean streaming, boolean autoPong, Executor executor, long stallNanos,
                             boolean lendBinary) {
    /** Copies the lists. */
    public SessionOptions {
        subprotocols = List.copyOf(subprotocols);
        extensions = List.copyOf(extensions);
    }
}
