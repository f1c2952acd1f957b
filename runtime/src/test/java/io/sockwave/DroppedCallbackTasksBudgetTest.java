package io.sockwave;

import static io.sockwave.TestJvm.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.MessageBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A callback executor shut down with {@code shutdownNow()} hands back the tasks it accepted and had not started: a
 * session's task among them used to leave its held messages counted in the message budget for good, and a budget
 * shared between connections and servers shrank with every such session. The calls such a task would have made now
 * run on the event loop, as those of a task the executor refuses, and give their bytes back; a call still running on
 * the executor keeps the calls behind it (and their bytes) until it returns.
 */
@Timeout(60)
class DroppedCallbackTasksBudgetTest {
    private final MessageBudget budget = new MessageBudget(1 << 20);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<Server> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdownNow();
        for (Server server : servers) {
            server.close();
        }
    }

    private Server start(Listener listener) throws Exception {
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                .messageBudget(budget).route("/", listener).build().start();
        servers.add(server);
        return server;
    }

    @Test
    void theSharedBudgetIsWholeAgainOnceSessionsWhoseTasksWereDroppedEnd() throws Exception {
        // The executor's one thread is busy: every session's task waits in its queue.
        executor.execute(() -> awaitQuietly(release));
        List<Recorder> listeners = List.of(new Recorder(), new Recorder());
        List<RawSocket> sockets = new ArrayList<>();
        try {
            for (Recorder listener : listeners) {
                RawSocket raw = RawSocket.connect(start(listener).port()).open("/");
                sockets.add(raw);
                raw.write(RawSocket.masked(0x81, "held ".repeat(200)));
            }
            awaitTrue(() -> budget.held() >= 2 * 1000, "the two messages held: " + budget);

            assertEquals(2, executor.shutdownNow().size(), "the sessions' two tasks were dropped");
            for (RawSocket raw : sockets) {
                raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
                assertEquals(1000, raw.expectCloseAndEof());
            }
        } finally {
            for (RawSocket raw : sockets) {
                raw.close();
            }
        }
        awaitTrue(() -> budget.held() == 0, "the budget is whole again: " + budget);
        for (Recorder listener : listeners) {
            // Run on the loop instead, as calls the executor refuses: none lost, onClose last.
            listener.expect("open");
            listener.expect("text:" + "held ".repeat(200));
            assertEquals("close:1000:", listener.awaitClose());
        }
    }

    /**
     * The session ends first, its task still waiting in the busy executor, which is shut down only then: no call of
     * the session is due any more to take the task back. The next task the shut-down executor refuses, here another
     * session's, takes it back: its calls run on its loop, and its bytes return to the budget.
     */
    @Test
    void aTaskDroppedAfterItsSessionEndedIsTakenBackAtTheExecutorsNextRefusal() throws Exception {
        executor.execute(() -> awaitQuietly(release));
        Recorder ended = new Recorder();
        Server server = start(ended);
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x81, "held ".repeat(200)));
            awaitTrue(() -> budget.held() >= 1000, "the message held: " + budget);
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            assertEquals(1000, raw.expectCloseAndEof());
        }
        Thread.sleep(200); // the session's end reaches its calls, whose task still waits
        assertEquals(1, executor.shutdownNow().size(), "the ended session's task was dropped");
        assertTrue(budget.held() >= 1000, "nothing took the task back yet: " + budget);

        Recorder next = new Recorder();
        try (RawSocket raw = RawSocket.connect(start(next).port()).open("/")) {
            awaitTrue(() -> budget.held() == 0, "the budget is whole again: " + budget);
        }
        ended.expect("open");
        ended.expect("text:" + "held ".repeat(200));
        assertEquals("close:1000:", ended.awaitClose());
    }

    @Test
    void aCallStillRunningKeepsTheCallsBehindItAndTheirBytesUntilItReturns() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        Recorder listener = new Recorder() {
            @Override
            public void onText(Session session, String text) {
                super.onText(session, text);
                if (text.equals("first")) {
                    running.countDown();
                    // Deaf to the interrupt of shutdownNow(): the call goes on after the executor was shut down.
                    boolean interrupted = false;
                    while (release.getCount() > 0) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (RawSocket raw = RawSocket.connect(start(listener).port()).open("/")) {
            raw.write(RawSocket.masked(0x81, "first"));
            assertTrue(running.await(10, TimeUnit.SECONDS));
            raw.write(RawSocket.masked(0x81, "second ".repeat(100)));
            awaitTrue(() -> budget.held() >= 700, "the second message held: " + budget);
            long held = budget.held();

            executor.shutdownNow();
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            assertEquals(1000, raw.expectCloseAndEof());
            // The session has ended, the call is still running: the message behind it is still held, and counted.
            Thread.sleep(200);
            assertEquals(held, budget.held(), budget.toString());
        }
        release.countDown();
        awaitTrue(() -> budget.held() == 0, "the budget is whole again: " + budget);
        listener.expect("open");
        listener.expect("text:first");
        listener.expect("text:" + "second ".repeat(100));
        assertEquals("close:1000:", listener.awaitClose());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
