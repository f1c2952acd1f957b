package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Suspending and resuming reading: a slow consumer pushes back on its peer through TCP instead of buffering. */
class InboundFlowControlTest {
    private Server server;
    private final Client client = Client.create();

    @AfterEach
    void stop() {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    private URI start(Listener listener) throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", listener).build().start();
        return URI.create("ws://127.0.0.1:" + server.port() + "/");
    }

    /** @return a recorder whose session suspends reading on each text it is handed */
    private static Recorder suspendedOnEachText() {
        return new Recorder() {
            @Override
            public void onText(Session session, String text) {
                super.onText(session, text);
                session.suspendReading();
            }
        };
    }

    /** @return a recorder whose session suspends reading as soon as it opens */
    private static Recorder suspendedOnOpen() {
        return new Recorder() {
            @Override
            public void onOpen(Session session) {
                session.suspendReading();
                super.onOpen(session);
            }
        };
    }

    @Test
    void noMessageArrivesWhileSuspendedAndNoneIsLost() throws Exception {
        Recorder recorder = suspendedOnOpen();
        Session sender = client.connect(start(recorder), new Recorder()).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            sender.sendText("m" + i);
        }
        recorder.expect("open");
        Thread.sleep(200);
        assertTrue(recorder.drain().isEmpty(), "messages arrived while reading was suspended");
        Session receiver = recorder.session();
        assertTrue(receiver.isReadingSuspended());
        receiver.resumeReading();
        for (int i = 0; i < 5; i++) {
            recorder.expect("text:m" + i);
        }
    }

    @Test
    void messagesAlreadyReadAreHeldWhenAListenerSuspendsMidRead() throws Exception {
        Recorder recorder = suspendedOnEachText();
        URI uri = start(recorder);
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            byte[] a = RawSocket.masked(0x81, "first");
            byte[] b = RawSocket.masked(0x81, "second");
            byte[] both = new byte[a.length + b.length];
            System.arraycopy(a, 0, both, 0, a.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            raw.write(both);
            recorder.expect("open");
            recorder.expect("text:first");
            Thread.sleep(200);
            assertTrue(recorder.drain().isEmpty(), "the second message, read in the same turn, was held");
            recorder.session().resumeReading();
            recorder.expect("text:second");
        }
        assertEquals("/", uri.getPath());
    }

    @Test
    void aSessionThatClosesWhileSuspendedStillReadsThePeersClose() throws Exception {
        // RFC 6455 §7.1.2 and §7.1.5: the closing handshake ends with the peer's close frame, which must be read.
        Recorder recorder = suspendedOnOpen();
        server = Server.builder().host("127.0.0.1").eventLoops(1).closeTimeout(Duration.ofSeconds(60))
                .route("/", recorder).build().start();
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            recorder.expect("open");
            recorder.session().close(1000, "done");
            assertEquals(1000, raw.readFrame().closeCode());
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            raw.expectEof();
        }
        assertTrue(recorder.awaitClose().startsWith("close:1000:"));
    }

    @Test
    void abortDeliversNoneOfTheMessagesHeldOnlyTheEnd() throws Exception {
        Recorder recorder = suspendedOnEachText();
        start(recorder);
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.concat(RawSocket.masked(0x81, "1"), RawSocket.masked(0x81, "2"),
                    RawSocket.masked(0x81, "3")));
            recorder.expect("open");
            recorder.expect("text:1");
            recorder.session().abort();
            assertTrue(recorder.awaitClose().startsWith("close:1006:"));
            assertEquals(List.of(), recorder.drain().stream().filter(e -> e.startsWith("text:")).toList(),
                    "Session's contract: abort() delivers nothing more");
        }
    }

    /**
     * Sends 64 KiB messages while the sender stays writable; stops once it has been unwritable for 300 ms, which
     * means the receiver's TCP window is closed: nothing more leaves the sender.
     *
     * @return how many messages were sent
     */
    private static int sendUntilStalled(Session sender) throws Exception {
        for (int sent = 0; sent < 4000; sent++) {
            try {
                sender.whenWritable().get(300, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stalled) {
                return sent;
            }
            CompletableFuture<Void> send = sender.sendBinary(ByteBuffer.allocate(64 << 10));
            if (send.isCompletedExceptionally()) {
                Throwable why = assertThrows(ExecutionException.class, send::get).getCause();
                throw new AssertionError("message " + sent + " was refused at once (" + sender.queuedBytes()
                        + " B queued)", why);
            }
        }
        throw new AssertionError("the sender never stalled: the receiver is buffering without bound");
    }

    @Test
    void suspendedReaderPushesBackOnTheSenderThroughTcp() throws Exception {
        Recorder recorder = suspendedOnOpen();
        Session sender = client.connect(start(recorder), new Recorder()).get(10, TimeUnit.SECONDS);
        recorder.expect("open");
        int sent = sendUntilStalled(sender);
        assertTrue(recorder.drain().isEmpty());
        assertEquals(0, server.stats().buffers(), "the suspended session holds no buffer of its own");
        recorder.session().resumeReading();
        for (int i = 0; i < sent; i++) {
            recorder.expect("binary:65536");
        }
    }

    @Test
    void callbacksThatFallBehindStopReadingUntilTheyCatchUp() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            Recorder recorder = new Recorder() {
                @Override
                public void onBinary(Session session, ByteBuffer data) {
                    super.onBinary(session, data);
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                    .route("/", recorder).build().start();
            Session sender = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), new Recorder())
                    .get(10, TimeUnit.SECONDS);
            // The first callback blocks: without the backlog limit the loop would read on into memory forever.
            int sent = sendUntilStalled(sender);
            release.countDown();
            recorder.expect("open");
            for (int i = 0; i < sent; i++) {
                recorder.expect("binary:65536");
            }
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }
}
