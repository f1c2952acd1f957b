package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Binary messages lent to the listener ({@link SessionSettings#lendBinary}), through real sockets: each is a
 * read-only view of exactly its bytes, and the loop reuses its array for later messages of any session, except
 * while the callback of a held message has yet to run: a message read while its session's reading was suspended
 * keeps its bytes until it is delivered, however many messages of other sessions pass meanwhile.
 */
class LendBinaryTest {
    /**
     * Small enough that the three held messages, written at once, travel in one segment over loopback and so come
     * in one read: the two after the first are read, and held, before the suspension can stop reading. The loop's
     * arrays for them are of its smallest class, which the other session's messages take too.
     */
    private static final int SIZE = 2 << 10;

    @Test
    void aHeldMessageKeepsItsBytesWhileOtherSessionsReuseTheLoopsArrays() throws Exception {
        List<String> violations = new CopyOnWriteArrayList<>();
        CompletableFuture<Session> suspended = new CompletableFuture<>();
        AtomicBoolean first = new AtomicBoolean(true);
        Listener echo = new Listener() {
            @Override
            public void onBinary(Session session, ByteBuffer data) {
                if (!data.isReadOnly() || data.capacity() != data.remaining()) {
                    violations.add("lent " + data + ", read-only " + data.isReadOnly());
                }
                session.sendBinary(data);
                if (session.path().equals("/hold") && first.getAndSet(false)) {
                    session.suspendReading();
                    suspended.complete(session);
                }
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).lendBinary(true)
                .route("/hold", echo).route("/echo", echo).build().start();
             RawSocket held = RawSocket.connect(server.port()).open("/hold");
             RawSocket busy = RawSocket.connect(server.port()).open("/echo")) {
            Random random = new Random(42);
            byte[][] heldMessages = {pattern(random), pattern(random), pattern(random)};
            // One write, so that the later two arrive in the read whose first message suspends reading, and wait
            // (SIZE says why they do).
            held.write(RawSocket.concat(RawSocket.masked(0x82, heldMessages[0]),
                    RawSocket.masked(0x82, heldMessages[1]), RawSocket.masked(0x82, heldMessages[2])));
            Session holding = suspended.get(10, TimeUnit.SECONDS);
            assertArrayEquals(heldMessages[0], held.readFrame().payload());

            for (int i = 0; i < 50; i++) {
                byte[] other = pattern(random);
                busy.write(RawSocket.masked(0x82, other));
                assertArrayEquals(other, busy.readFrame().payload(), "message " + i + " of the other session");
            }

            holding.resumeReading();
            assertArrayEquals(heldMessages[1], held.readFrame().payload(), "the first held message");
            assertArrayEquals(heldMessages[2], held.readFrame().payload(), "the second held message");
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void withoutLendingTheListenerOwnsAWritableBuffer() throws Exception {
        CompletableFuture<ByteBuffer> given = new CompletableFuture<>();
        Listener keep = new Listener() {
            @Override
            public void onBinary(Session session, ByteBuffer data) {
                given.complete(data);
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", keep).build()
                .start();
             RawSocket socket = RawSocket.connect(server.port()).open("/")) {
            byte[] payload = pattern(new Random(1));
            socket.write(RawSocket.masked(0x82, payload));
            ByteBuffer data = given.get(10, TimeUnit.SECONDS);
            assertTrue(!data.isReadOnly() && data.hasArray(), "the default hands over a writable heap buffer");
            byte[] kept = new byte[data.remaining()];
            data.get(kept);
            assertArrayEquals(payload, kept);
        }
    }

    private static byte[] pattern(Random random) {
        byte[] bytes = new byte[SIZE];
        random.nextBytes(bytes);
        return bytes;
    }
}
