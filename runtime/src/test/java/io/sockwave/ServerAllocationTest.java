package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the server's event loop allocates per opening handshake and per echoed message, counted in bytes by the JVM
 * for the loop's thread (a count, not a timing). Garbage is what fills the young generation, touches fresh heap pages
 * and brings collections, and so the latency tail; these budgets keep the hot paths from growing it unnoticed.
 */
class ServerAllocationTest {
    /**
     * Accept, HTTP parse, Accept key, 101, session and closing handshake: 2.34 KB measured (2.78 KB before the
     * connection's objects were slimmed for idling, the request head was parsed in a line buffer shared by the loop's
     * parsers and the close reply stopped needing a queue; 3.3 KB before the header fields shared one array and the
     * Accept value its scratch arrays, 6.8 KB before the handshake path was first trimmed). About 0.85 KB of it is
     * the JDK's accept and registration (the channel, its file descriptors, addresses, locks and selection key) and
     * about 0.4 KB the connection's own live objects.
     */
    private static final long HANDSHAKE_BUDGET = 2500;
    /**
     * The String handed to onText (72 B for 32 ASCII characters) and nothing else: the frame sent back is one of
     * the loop's reused small frames, the message is decoded straight from the loop's heap copy of the read, and the
     * batch's future is shared by the 16 messages of a burst. 73 B measured; 233 B when the reply was a new heap
     * frame and the text was copied out of the direct read buffer before being decoded (185 B before the read
     * buffer was direct, about 350 B before that).
     */
    private static final long ECHO_BUDGET = 96;
    /**
     * One message at a time, as at a fixed rate with a few messages per connection per second: the String and the
     * future of a batch of one (24 B). 96 B measured.
     */
    private static final long SINGLE_ECHO_BUDGET = 128;
    private static final int HANDSHAKES = 400;
    private static final int MESSAGES = 20_000;

    private static final Listener ECHO = new Listener() {
        @Override
        public void onText(Session session, String text) {
            session.sendText(text);
        }
    };

    @Test
    void anOpeningAndClosingHandshakeStaysWithinItsAllocationBudget() throws Exception {
        try (Server server = start()) {
            long loop = loopThreadOf(server);
            handshakes(server.port(), HANDSHAKES);
            long before = allocated(loop);
            handshakes(server.port(), HANDSHAKES);
            long perHandshake = (allocated(loop) - before) / HANDSHAKES;
            assertTrue(perHandshake <= HANDSHAKE_BUDGET,
                    perHandshake + " bytes allocated by the loop per handshake; budget " + HANDSHAKE_BUDGET);
        }
    }

    @Test
    void anEchoedMessageStaysWithinItsAllocationBudget() throws Exception {
        assertEchoWithin(16, ECHO_BUDGET);
    }

    @Test
    void anEchoedMessageAloneInItsTurnStaysWithinItsAllocationBudget() throws Exception {
        assertEchoWithin(1, SINGLE_ECHO_BUDGET);
    }

    private static void assertEchoWithin(int burst, long budget) throws Exception {
        try (Server server = start(); RawSocket socket = RawSocket.connect(server.port()).open("/")) {
            long loop = loopThreadOf(server);
            byte[] frame = RawSocket.masked(0x81, "32 bytes of text, echoed back...");
            echo(socket, frame, burst, MESSAGES);
            long before = allocated(loop);
            echo(socket, frame, burst, MESSAGES);
            long perMessage = (allocated(loop) - before) / MESSAGES;
            assertTrue(perMessage <= budget, perMessage + " bytes allocated by the loop per echoed message in"
                    + " bursts of " + burst + "; budget " + budget);
        }
    }

    private static Server start() throws Exception {
        return Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", ECHO).build().start();
    }

    private static void handshakes(int port, int count) throws Exception {
        byte[] close = RawSocket.masked(0x88, RawSocket.closePayload(1000, ""));
        for (int i = 0; i < count; i++) {
            try (RawSocket socket = RawSocket.connect(port).open("/")) {
                socket.write(close);
                assertEquals(1000, socket.readFrame().closeCode());
                assertEquals("", socket.readUntilEof());
            }
        }
    }

    /** Sends in bursts and reads each burst back, as a pipelining client does with more than one. */
    private static void echo(RawSocket socket, byte[] frame, int size, int count) throws Exception {
        byte[] burst = new byte[frame.length * size];
        for (int i = 0; i < size; i++) {
            System.arraycopy(frame, 0, burst, i * frame.length, frame.length);
        }
        byte[] expected = "32 bytes of text, echoed back...".getBytes(StandardCharsets.UTF_8);
        for (int sent = 0; sent < count; sent += size) {
            socket.write(burst);
            for (int i = 0; i < size; i++) {
                assertArrayEquals(expected, socket.readFrame().payload());
            }
        }
    }

    /** The one loop of a server just started: the thread named after it that no earlier server left running. */
    static long loopThreadOf(Server server) {
        Set<Thread> loops = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sockwave-server-") && t.getName().endsWith("-loop-0"))
                .collect(Collectors.toSet());
        // Server names count up: the newest is this test's.
        Thread newest = loops.stream().max((a, b) -> Integer.compare(serial(a), serial(b))).orElseThrow();
        return newest.getId();
    }

    private static int serial(Thread loop) {
        String name = loop.getName();
        return Integer.parseInt(name.substring("sockwave-server-".length(), name.indexOf("-loop-")));
    }

    static long allocated(long threadId) {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(threadId);
    }
}
