package io.sockwave;

/**
 * A snapshot of what a server holds, summed over its event loops; for monitoring, and for checking that nothing is
 * left behind by closed connections.
 *
 * @param connections TCP connections held, in any phase: opening handshake, open, closing
 * @param sessions WebSocket sessions open (past the opening handshake, not yet closed)
 * @param queuedBytes outbound bytes accepted by sends and not yet written, over all sessions
 * @param timers pending deadlines (handshake, idle, close, keepalive, send timeouts) on the event loops' timers
 * @param buffers per-connection buffers held: outbound queues, partial TLS records, messages held while reading is
 *     suspended; an idle connection holds none
 */
public record ServerStats(int connections, int sessions, long queuedBytes, int timers, int buffers) {
}
