package io.sockwave.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The pongs a connection owes its peer for the pings it received. They wait here, in order, until the caller drains
 * them through {@link Connection#pollOutput()}; a close frame owed (a reply, or the close that fails the connection)
 * waits in the connection, after all of them, since no ping is read once one is owed.
 *
 * <p>Each ping gets its pong, so that a peer sending a burst of pings sees every one answered. A flood, though, must
 * not grow the queue while the caller is not draining it, so at most {@value #MAX_PENDING_PONGS} pongs wait here;
 * beyond that a newer ping's pong replaces the newest waiting one, as §5.5.3 allows: "If an endpoint receives a Ping
 * frame and has not yet sent Pong frame(s) in response to previous Ping frame(s), the endpoint MAY elect to send a
 * Pong frame for only the most recently processed Ping frame." A pong waits as the ping's payload and is encoded
 * only when it is taken, so that the pings of a flood whose pongs are replaced cost no frame each.
 */
final class OwedFrames {
    /** Automatic pongs allowed to wait: a burst is answered in full, a flood is bounded. */
    static final int MAX_PENDING_PONGS = 32;

    /** The payloads of the pings to answer, in order. */
    private ArrayDeque<byte[]> frames;
    private int pendingPongs;
    private byte[] newestPing;

    /**
     * @param pingPayload the payload of a ping to answer, possibly replacing the newest waiting answer; not changed
     *     afterwards (empty payloads may be one shared array, which is why entries are never told apart by identity
     *     except to find the newest, whose last occurrence it is)
     */
    void addPong(byte[] pingPayload) {
        if (pendingPongs >= MAX_PENDING_PONGS && newestPing != null) {
            if (frames.peekLast() == newestPing) {
                frames.pollLast();
            } else {
                frames.removeLastOccurrence(newestPing);
            }
            pendingPongs--;
        }
        newestPing = pingPayload;
        pendingPongs++;
        if (frames == null) {
            frames = new ArrayDeque<>(2);
        }
        frames.add(pingPayload);
    }

    /**
     * @param writer encodes the pong of a ping that waits as its payload
     * @return the oldest pong waiting, removed, or null when there is none
     */
    ByteBuffer poll(MessageWriter writer) {
        byte[] pingPayload = frames == null ? null : frames.poll();
        if (pingPayload == null) {
            return null;
        }
        // Taken from the head: the newest waiting answer is still waiting unless this was the last of them.
        if (--pendingPongs == 0) {
            newestPing = null;
        }
        return writer.control(Opcode.PONG, ByteBuffer.wrap(pingPayload));
    }

    /** @return whether a pong is waiting */
    boolean isEmpty() {
        return frames == null || frames.isEmpty();
    }
}
