package io.sockwave;

/**
 * A snapshot of what a server holds, summed over its event loops; for monitoring, and for checking that nothing is
 * left behind by closed connections.
 *
 * <p>Each event loop's counts are read together, as they stood at one instant when they agreed: between two steps of
 * its turn, or once a connection it closed is counted out with its session. So a snapshot never contradicts itself:
 * there are never more {@code sessions} than {@code connections}, and with no connection there is no session, queued
 * byte or buffer either. The loops are read one after the other, each at its own last such instant, so the sum is
 * not of one instant across loops, but each of these relations holds for it as for each loop's share. A change is
 * seen once its loop reaches the next such instant: before anything its turn writes to a socket, and at once for a
 * connection that closes or a session that ends (before its {@code onClose} is called); a call from a loop's own
 * thread (a callback) may not see that turn's other changes yet.
 *
 * @param connections TCP connections held, in any phase: opening handshake, open, closing
 * @param sessions WebSocket sessions open (past the opening handshake, not yet closed)
 * @param queuedBytes outbound bytes accepted by sends and not yet written, over all sessions
 * @param timers pending deadlines (handshake, idle, close, keepalive, send timeouts) on the event loops' timers
 * @param buffers per-connection buffers held: outbound queues, partial TLS records, messages held while reading is
 *     suspended, what a client sent after its upgrade request while an {@link UpgradeHook} decides; an idle
 *     connection holds none
 */
public record ServerStats(int connections, int sessions, long queuedBytes, int timers, int buffers) {
}
