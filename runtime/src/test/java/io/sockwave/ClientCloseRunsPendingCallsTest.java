package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Client#close()} stops its event loops as {@link Server#close()} does, and shares the code that runs what is
 * pending on a loop before it stops: when close() returns, the calls a session held have run, its {@code onClose}
 * last, and every future it handed out (a connect, a send, a ping, {@code whenWritable()}) is done.
 */
@Timeout(60)
class ClientCloseRunsPendingCallsTest {

    @Test
    void theHeldMessageAndOnCloseRunBeforeCloseReturns() throws Exception {
        HeldCallsRecorder listener = new HeldCallsRecorder();
        try (HandMadeServer server = new HandMadeServer()) {
            Client client = Client.create();
            try {
                CompletableFuture<Session> connecting = client.connect(server.uri("/"), listener);
                HandMadeServer.Accepted accepted = server.accept();
                RawSocket raw = accepted.raw();
                raw.accept101(accepted.request());
                connecting.get(10, TimeUnit.SECONDS);
                assertEquals(0x88, raw.readMaskedFrame().b0(), "the client's close frame");
                raw.write(RawSocket.frame(0x81, "held".getBytes(), false));
                Thread.sleep(1_000); // read and held meanwhile (a few bytes on loopback): reading is suspended
                assertEquals(List.of(), listener.calls, "no call before the session ends");
                client.close();
                assertEquals(List.of("text:held", "close:1006"), listener.calls);
                raw.close();
            } finally {
                client.close();
            }
        }
    }

    @Test
    void everyFutureOfTheClientIsDoneWhenCloseReturns() throws Exception {
        Recorder recorder = new Recorder();
        try (HandMadeServer server = new HandMadeServer()) {
            // A small window: the server never reads, and the client's send stays queued.
            server.socket.setReceiveBufferSize(4096);
            Client client = Client.create();
            try {
                CompletableFuture<Session> connecting = client.connect(server.uri("/"), recorder);
                HandMadeServer.Accepted accepted = server.accept();
                accepted.raw().accept101(accepted.request());
                Session session = connecting.get(10, TimeUnit.SECONDS);
                CompletableFuture<Void> send = session.sendBinary(ByteBuffer.allocate(16 << 20));
                CompletableFuture<Void> ping = session.ping(ByteBuffer.allocate(0));
                CompletableFuture<Void> writable = session.whenWritable();
                // A second connection the server never answers: its connect is under way.
                CompletableFuture<Session> unanswered = client.connect(server.uri("/"), new Recorder());
                HandMadeServer.Accepted silent = server.accept();
                Thread.sleep(200);
                assertFalse(send.isDone() || writable.isDone() || unanswered.isDone(),
                        "the send, whenWritable() and the second connect are pending before close()");

                client.close();
                // The ping may have gone out ahead of the send's first bytes; whenWritable() completes as the bytes
                // the close dropped are released (Session#isWritable); what was not written has failed.
                assertTrue(ping.isDone(), "the ping is done once close() returned");
                assertTrue(writable.isDone(), "whenWritable() is done once close() returned");
                for (CompletableFuture<?> future : List.of(send, unanswered)) {
                    assertTrue(future.isCompletedExceptionally(), "failed once close() returned: " + future);
                }
                assertEquals(1006, Integer.parseInt(recorder.closed.getNow("none:-1").split(":")[1]),
                        "onClose ran before close() returned");
                assertTrue(session.sendText("after").isCompletedExceptionally(), "a send after close() fails at once");
                accepted.raw().close();
                silent.raw().close();
            } finally {
                client.close();
            }
        }
    }
}
