package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An exception thrown by application code closes that session with 1011 and is reported; the server goes on. */
class CallbackFailureTest {
    private Server server;
    private final Client client = Client.create();
    private final Recorder serverSide = new Recorder() {
        @Override
        public void onText(Session session, String text) {
            super.onText(session, text);
            if (text.equals("boom")) {
                throw new IllegalStateException("handler bug");
            }
            session.sendText(text);
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", serverSide)
                .route("/open", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        throw new IllegalStateException("cannot open");
                    }
                }).build().start();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    @Test
    void exceptionInOnTextClosesWith1011AndOtherSessionsKeepWorking() throws Exception {
        Recorder victim = new Recorder();
        Recorder bystander = new Recorder();
        Session doomed = client.connect(uri("/"), victim).get(10, TimeUnit.SECONDS);
        Session healthy = client.connect(uri("/"), bystander).get(10, TimeUnit.SECONDS);
        doomed.sendText("boom");
        doomed.sendText("after the bug");
        assertEquals("close:1011:internal error", victim.awaitClose());
        serverSide.expect("open");
        serverSide.expect("open");
        serverSide.expect("text:boom");
        serverSide.expect("error:IllegalStateException");
        assertEquals("handler bug", serverSide.errors.get(0).getMessage());
        assertTrue(serverSide.next().startsWith("close:1011"), "no message is delivered after the failure");
        healthy.sendText("fine");
        bystander.expect("open");
        bystander.expect("text:fine");
    }

    @Test
    void onAnExecutorMessagesAlreadyHeldAreNotDeliveredAfterTheFailure() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        Recorder failing = new Recorder() {
            @Override
            public void onText(Session session, String text) {
                super.onText(session, text);
                throw new IllegalStateException("first message fails");
            }
        };
        try (Server pooled = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(pool)
                .route("/", failing).build().start();
             RawSocket raw = RawSocket.connect(pooled.port()).open("/")) {
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) {
                burst.writeBytes(RawSocket.masked(0x81, "m" + i));
            }
            raw.write(burst.toByteArray());
            assertEquals(1011, raw.readFrame().closeCode());
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1011, "")));
            failing.expect("open");
            failing.expect("text:m0");
            failing.expect("error:IllegalStateException");
            assertTrue(failing.next().startsWith("close:"), "no held message was delivered after the failure");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void exceptionInOnOpenClosesWith1011() throws Exception {
        Recorder recorder = new Recorder();
        client.connect(uri("/open"), recorder).get(10, TimeUnit.SECONDS);
        assertEquals("close:1011:internal error", recorder.awaitClose());
        Recorder next = new Recorder();
        client.connect(uri("/"), next).get(10, TimeUnit.SECONDS).sendText("server still up");
        next.expect("open");
        next.expect("text:server still up");
    }
}
