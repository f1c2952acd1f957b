package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.LongPredicate;

/**
 * An echo session on a server's one event loop, for tests that must know the loop has run what they handed it. A
 * send from a test's thread is a task of the loop, run and written in some later turn: how long after is up to the
 * scheduler, and a test that waits a fixed time and then reads a session's queued bytes may read sends the loop has
 * not taken yet. Two echoes answered in a row tell instead: the loop reads the first in a turn that runs every task
 * queued before it and then writes, and the second only in a later turn.
 */
final class LoopBarrier implements AutoCloseable {
    private final RawSocket echo;

    /** @param port a server with one event loop and an {@link EchoListener} on {@code /echo} */
    LoopBarrier(int port) throws IOException {
        echo = RawSocket.connect(port).open("/echo");
    }

    /**
     * Returns once the loop has run every task handed to it before this call and ended the turn that ran them, its
     * writes included: what a session still has queued then is what its socket refused.
     */
    void pass() throws IOException {
        for (int i = 0; i < 2; i++) {
            echo.write(RawSocket.masked(0x81, "turn " + i));
            assertEquals("turn " + i, echo.readFrame().text());
        }
    }

    /**
     * Sends {@code message}-byte binary messages while {@code room} accepts the queued byte count, lets the loop write
     * them, and tops up again until more than {@code stalledAbove} bytes stay queued: the kernel's socket buffers
     * absorb some megabytes first, which the queue sees drain away.
     *
     * @param session a session on the same loop whose peer does not read
     * @return how many messages were sent, each accepted
     */
    int queueUntilStalled(Session session, int message, long stalledAbove, LongPredicate room) throws IOException {
        int sent = 0;
        for (int round = 0; round < 50 && session.queuedBytes() <= stalledAbove; round++) {
            while (room.test(session.queuedBytes())) {
                assertFalse(session.sendBinary(ByteBuffer.allocate(message)).isCompletedExceptionally());
                sent++;
            }
            pass();
        }
        assertTrue(session.queuedBytes() > stalledAbove, "the socket stalled with messages queued");
        return sent;
    }

    @Override
    public void close() throws IOException {
        echo.close();
    }
}
