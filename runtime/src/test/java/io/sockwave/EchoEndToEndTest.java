package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Echo over loopback, with Sockwave's client and with the JDK's independent {@link WebSocket} client. */
class EchoEndToEndTest {
    private Server server;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(2).route("/echo", new EchoListener()).build().start();
        client = Client.create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private URI echo() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/echo?room=1");
    }

    @Test
    void sockwaveClientGetsTextAndBinaryEchoedInOrder() throws Exception {
        Recorder recorder = new Recorder();
        Session session = client.connect(echo(), recorder).get(10, TimeUnit.SECONDS);
        recorder.expect("open");
        assertTrue(session.isClient());
        assertEquals("/echo", session.path());
        assertEquals("room=1", session.query());
        for (int i = 0; i < 100; i++) {
            session.sendText("message " + i);
        }
        session.sendBinary(ByteBuffer.wrap(new byte[70_000])).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 100; i++) {
            recorder.expect("text:message " + i);
        }
        recorder.expect("binary:70000");
        session.close(1000, "done").get(10, TimeUnit.SECONDS);
        assertEquals("close:1000:", recorder.awaitClose(), "the server echoes the code, without a reason");
    }

    @Test
    void jdkClientGetsEchoedAndClosesCleanly() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<String> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode + ":" + reason);
                return null;
            }
        };
        HttpClient http = HttpClient.newHttpClient();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(echo(), listener).get(10, TimeUnit.SECONDS);
        String big = "x".repeat(100_000);
        ws.sendText("héllo wörld ✓", true).get(10, TimeUnit.SECONDS);
        ws.sendText(big, true).get(10, TimeUnit.SECONDS);
        assertEquals("héllo wörld ✓", received.poll(10, TimeUnit.SECONDS));
        assertEquals(big, received.poll(10, TimeUnit.SECONDS));
        ws.sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
        // RFC 6455 §5.5.1: the reply echoes the status code; Sockwave sends no reason with it.
        assertEquals("1000:", closed.get(10, TimeUnit.SECONDS));
    }
}
