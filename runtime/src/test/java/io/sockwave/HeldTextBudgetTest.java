package io.sockwave;

import static io.sockwave.TestJvm.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.MessageBudget;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole text message waiting for its callback is held as a String, which takes one byte per character while every
 * character is Latin-1 and two otherwise: the message budget and the session's backlog count those bytes, not its
 * characters, so text outside Latin-1 (Cyrillic, CJK) is not under-counted by half.
 */
@Timeout(60)
class HeldTextBudgetTest {
    private static final int CHARS = 10_000;
    /** What the runtime counts per held call beyond its payload (Framing.CALLBACK_OVERHEAD). */
    private static final int OVERHEAD = 64;

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger delivered = new AtomicInteger();
    private ExecutorService executor;
    private MessageBudget budget;
    private Server server;

    @BeforeEach
    void busyExecutor() {
        executor = Executors.newSingleThreadExecutor();
        // The application's one callback thread is busy: every message waits, held by its session.
        executor.execute(() -> awaitQuietly(release));
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
        executor.shutdown();
    }

    private void start(long capacity) throws Exception {
        budget = new MessageBudget(capacity);
        server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor).messageBudget(budget)
                .route("/", new Listener() {
                    @Override
                    public void onText(Session session, String text) {
                        delivered.incrementAndGet();
                    }
                }).build().start();
    }

    @Test
    void textOutsideLatin1IsCountedAtTwoBytesACharacterWhileItWaits() throws Exception {
        start(1L << 30);
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.open("/");
            for (int i = 0; i < 3; i++) {
                raw.write(RawSocket.masked(0x81, "Ж".repeat(CHARS)));
            }
            assertEquals(3L * (2 * CHARS + OVERHEAD), settled(budget::held), budget.toString());
            release.countDown();
            assertEquals(0, settled(budget::held), budget.toString());
            assertEquals(3, delivered.get());
        }
    }

    @Test
    void latin1TextIsCountedAtOneByteACharacterWhileItWaits() throws Exception {
        start(1L << 30);
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.open("/");
            // Two bytes each in UTF-8, one in the String that holds it.
            raw.write(RawSocket.masked(0x81, "é".repeat(CHARS)));
            assertEquals(CHARS + OVERHEAD, settled(budget::held), budget.toString());
        }
    }

    /**
     * 100,000 bytes hold four messages of 10,000 Cyrillic characters (20,064 bytes each) but not five: the fifth
     * gets 1009. Counted by characters, nine would have fitted.
     */
    @Test
    void theMessageThatWouldCrossTheBudgetCountedInBytesGets1009() throws Exception {
        start(100_000);
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.open("/");
            raw.socket.setSoTimeout(1_000);
            int sent = 0;
            RawSocket.Frame close = null;
            while (close == null && sent < 12) {
                raw.write(RawSocket.masked(0x81, "Ж".repeat(CHARS)));
                sent++;
                try {
                    close = raw.readFrame();
                } catch (SocketTimeoutException held) {
                    // Held, waiting for the application.
                }
            }
            assertTrue(close != null, "no 1009 after " + sent + " messages");
            assertEquals(0x88, close.b0());
            assertEquals(1009, close.closeCode(), new String(close.payload(), StandardCharsets.UTF_8));
            assertEquals(5, sent, "the message that crossed the budget");
        }
    }

    /** @return the value once it has stayed the same for a while (the loop has read and held what was sent) */
    private static long settled(LongSupplier value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = value.getAsLong();
        int stable = 0;
        while (stable < 10 && System.nanoTime() < deadline) {
            Thread.sleep(30);
            long now = value.getAsLong();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }
}
