package io.sockwave;

import static io.sockwave.TestJvm.awaitQuietly;
import static io.sockwave.TestJvm.usedHeapAfterGc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.MessageBudget;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The message budget bounds what the server holds of messages its application has not taken yet, not only of those
 * still arriving. With callbacks on an executor that is behind, each whole message waits in its session's backlog;
 * it used to leave the budget the moment it was complete, so every connection could park one message of up to the
 * message limit there: about 16 KB of compressed zeros each, inflating to 15 MiB, and four connections held 60 MiB
 * past a 40 MiB budget (a server with a 64 MiB heap would have died of it). A waiting message now stays counted until
 * its callback runs, and the connection whose message would cross the budget is failed with 1009, as for an
 * unfinished one.
 */
@Timeout(60)
class MessagesAwaitingCallbacksBudgetTest {
    private static final int MIB = 1 << 20;
    private static final int INFLATED = 15 * MIB;
    private static final int CONNECTIONS = 4;

    @Test
    void wholeMessagesWaitingForABusyExecutorCountAgainstTheBudgetAndTheOneThatWouldCrossItGets1009()
            throws Exception {
        MessageBudget budget = new MessageBudget(40L * MIB);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        // The application's one callback thread is busy: every call waits, held by its session.
        executor.execute(() -> awaitQuietly(release));
        AtomicInteger delivered = new AtomicInteger();
        byte[] bomb = RawSocket.masked(0xC2, IncompleteMessageBudgetTest.compressedZeros(INFLATED));
        List<RawSocket> sockets = new ArrayList<>();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                .extensions(PerMessageDeflate.defaults()).limits(Limits.DEFAULTS.withMaxMessageSize(16 * MIB))
                .messageBudget(budget).incompleteMessageTimeout(Duration.ofMinutes(5))
                .route("/", new Listener() {
                    @Override
                    public void onBinary(Session session, ByteBuffer data) {
                        delivered.incrementAndGet();
                    }
                }).build().start()) {
            long heapBefore = usedHeapAfterGc();
            int refused = 0;
            for (int i = 0; i < CONNECTIONS; i++) {
                RawSocket raw = RawSocket.connect(server.port());
                sockets.add(raw);
                raw.write(RawSocket.upgrade("/", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
                assertTrue(raw.readHead().contains("permessage-deflate"));
                raw.write(bomb);
                // A held message gets no answer; a refused one gets its close.
                raw.socket.setSoTimeout(2_000);
                try {
                    RawSocket.Frame close = raw.readFrame();
                    assertEquals(0x88, close.b0(), "expected a close, got " + close);
                    assertEquals(1009, close.closeCode(), new String(close.payload(), StandardCharsets.UTF_8));
                    refused++;
                } catch (SocketTimeoutException held) {
                    // Held, waiting for the application.
                }
                assertTrue(budget.held() <= budget.capacity(), budget.toString());
            }
            long heapGrowth = usedHeapAfterGc() - heapBefore;
            assertTrue(refused >= 1, "every one of " + CONNECTIONS + " connections parked a " + INFLATED / MIB
                    + " MiB message past a " + budget.capacity() / MIB + " MiB budget");
            assertTrue(heapGrowth < budget.capacity() + 8L * MIB, "the heap grew by " + heapGrowth / MIB
                    + " MiB while the budget is " + budget.capacity() / MIB + " MiB");

            // The held messages are delivered once the application catches up, and give their bytes back.
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((delivered.get() < CONNECTIONS - refused || budget.held() != 0)
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            assertEquals(CONNECTIONS - refused, delivered.get());
            assertEquals(0, budget.held(), budget.toString());
        } finally {
            release.countDown();
            executor.shutdown();
            for (RawSocket raw : sockets) {
                raw.close();
            }
        }
    }
}
