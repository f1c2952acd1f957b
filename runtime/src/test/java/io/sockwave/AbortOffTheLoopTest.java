package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Session#abort()} called from another thread while the session's loop is busy: the session reports itself
 * closed as soon as abort() returns, as it does once close() returns, not when the loop gets to the abort.
 */
class AbortOffTheLoopTest {
    @Test
    void isOpenIsFalseOnceAbortReturnsEvenBeforeTheLoopRunsIt() throws Exception {
        CompletableFuture<Session> blocking = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        Listener blocker = new Listener() {
            @Override
            public void onText(Session session, String text) {
                blocking.complete(session);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                closedWith.complete(code);
            }
        };
        try (Server busy = Server.builder().host("127.0.0.1").eventLoops(1).route("/", blocker).build().start();
             RawSocket raw = RawSocket.connect(busy.port()).open("/")) {
            raw.write(RawSocket.masked(0x81, "hold the loop"));
            Session session = blocking.get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> late;
            try {
                session.abort();
                assertFalse(session.isOpen(), "abort() returned");
                late = session.sendText("late");
            } finally {
                release.countDown();
            }
            ExecutionException refused = assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, refused.getCause());
            assertEquals(1006, closedWith.get(10, TimeUnit.SECONDS));
            raw.expectEof();
        }
    }
}
