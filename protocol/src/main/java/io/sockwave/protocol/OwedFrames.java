package io.sockwave.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The frames a connection owes its peer because of what it received: pongs, the close reply, the close frame that
 * fails the connection. They wait here, in order, until the caller drains them through
 * {@link Connection#pollOutput()}.
 *
 * <p>Each ping gets its pong, so that a peer sending a burst of pings sees every one answered. A flood, though, must
 * not grow the queue while the caller is not draining it, so at most {@value #MAX_PENDING_PONGS} pongs wait here;
 * beyond that a newer ping's pong replaces the newest waiting one, as §5.5.3 allows: "If an endpoint receives a Ping
 * frame and has not yet sent Pong frame(s) in response to previous Ping frame(s), the endpoint MAY elect to send a
 * Pong frame for only the most recently processed Ping frame."
 */
final class OwedFrames {
    /** Automatic pongs allowed to wait: a burst is answered in full, a flood is bounded. */
    static final int MAX_PENDING_PONGS = 32;

    /** Created with the first frame owed: most connections never owe one. */
    private ArrayDeque<ByteBuffer> frames;
    private int pendingPongs;
    private ByteBuffer newestPong;

    /** @param pong a pong frame answering a ping, possibly replacing the newest waiting pong */
    void addPong(ByteBuffer pong) {
        if (pendingPongs >= MAX_PENDING_PONGS && newestPong != null) {
            frames.removeLastOccurrence(newestPong);
            pendingPongs--;
        }
        newestPong = pong;
        pendingPongs++;
        add(pong);
    }

    /** @param frame a frame to send after those already waiting */
    void add(ByteBuffer frame) {
        if (frames == null) {
            frames = new ArrayDeque<>(2);
        }
        frames.add(frame);
    }

    /** @return the oldest frame waiting, removed, or null when there is none */
    ByteBuffer poll() {
        ByteBuffer next = frames == null ? null : frames.poll();
        if (next != null && (next.get(0) & 0x0F) == Opcode.PONG.code()) {
            pendingPongs--;
            if (next == newestPong) {
                newestPong = null;
            }
        }
        return next;
    }

    /** @return whether a frame is waiting */
    boolean isEmpty() {
        return frames == null || frames.isEmpty();
    }
}
