package io.sockwave.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.Client;
import io.sockwave.ClientOptions;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** The Sockwave side of the interop tests: an echo server, and a client that checks a peer's echoes. */
final class EchoPeers {
    private EchoPeers() {
    }

    static Server echoServer(boolean deflate) throws IOException {
        return echoServer(deflate, null);
    }

    /** @param tls the server's TLS context, or null for ws:// */
    static Server echoServer(boolean deflate, SSLContext tls) throws IOException {
        Server.Builder builder = Server.builder().host("127.0.0.1").port(0).tls(tls).route("/echo", new Listener() {
            @Override
            public void onText(Session session, String text) {
                session.sendText(text);
            }

            @Override
            public void onBinary(Session session, ByteBuffer data) {
                session.sendBinary(data);
            }
        });
        if (deflate) {
            builder.extensions(PerMessageDeflate.builder().threshold(0).build());
        }
        return builder.build().start();
    }

    /**
     * Sends text and binary messages to an echo peer, whole and in pieces, and checks each echo, then closes with
     * 1000.
     */
    static void exerciseEchoServer(URI uri, boolean deflate) throws Exception {
        exerciseEchoServer(uri, deflate, ClientOptions.builder());
    }

    /** @param options the client's options (TLS, say), to which permessage-deflate is added when asked for */
    static void exerciseEchoServer(URI uri, boolean deflate, ClientOptions.Builder options) throws Exception {
        if (deflate) {
            options.extensions(PerMessageDeflate.builder().threshold(0).build());
        }
        BlockingQueue<Object> received = new ArrayBlockingQueue<>(16);
        CompletableFuture<int[]> closed = new CompletableFuture<>();
        try (Client client = Client.create()) {
            Session session = client.connect(uri, options.build(), new Listener() {
                @Override
                public void onText(Session s, String text) {
                    received.add(text);
                }

                @Override
                public void onBinary(Session s, ByteBuffer data) {
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    received.add(bytes);
                }

                @Override
                public void onClose(Session s, int code, String reason) {
                    closed.complete(new int[] {code});
                }
            }).get(20, TimeUnit.SECONDS);
            assertEquals(deflate, !session.extensions().isEmpty(), "negotiated " + session.extensions());
            Random random = new Random(42);
            byte[] noise = new byte[200_000];
            random.nextBytes(noise);
            List<Object> messages = List.of("hello", "", "héllo wörld ✓ 😀", "x".repeat(70_000), noise,
                    "{\"type\":\"message\",\"text\":\"compress me\"}".repeat(2000),
                    "abc".getBytes(StandardCharsets.UTF_8));
            for (Object message : messages) {
                if (message instanceof String text) {
                    session.sendText(text).get(20, TimeUnit.SECONDS);
                    assertEquals(text, received.poll(20, TimeUnit.SECONDS));
                } else {
                    byte[] bytes = (byte[]) message;
                    session.sendBinary(ByteBuffer.wrap(bytes)).get(20, TimeUnit.SECONDS);
                    Object echo = received.poll(20, TimeUnit.SECONDS);
                    assertArrayEquals(bytes, (byte[]) echo);
                }
            }
            sendInPieces(session, received);
            session.close(1000, "done");
            assertEquals(1000, closed.get(20, TimeUnit.SECONDS)[0]);
        }
    }

    /**
     * Messages sent in fragments (RFC 6455 §5.4); with permessage-deflate each is one compressed stream across its
     * fragments (RFC 7692 §6.1), which the peer must inflate and reassemble: text cut inside a surrogate pair,
     * binary in uneven pieces, and an empty last piece.
     */
    private static void sendInPieces(Session session, BlockingQueue<Object> received) throws Exception {
        String text = "fragmented 😀 ".repeat(3000);
        int cut = text.indexOf('\uD83D') + 1;
        session.sendText(text.substring(0, cut), false);
        session.sendText(text.substring(cut, 20_000), false);
        session.sendText(text.substring(20_000), false);
        session.sendText("", true).get(20, TimeUnit.SECONDS);
        assertEquals(text, received.poll(20, TimeUnit.SECONDS));

        byte[] bytes = "binary pieces ".repeat(5000).getBytes(StandardCharsets.UTF_8);
        for (int at = 0, size = 1; at < bytes.length; at += size, size = size * 3 + 7) {
            int n = Math.min(size, bytes.length - at);
            session.sendBinary(ByteBuffer.wrap(bytes, at, n), at + n == bytes.length).get(20, TimeUnit.SECONDS);
        }
        assertArrayEquals(bytes, (byte[]) received.poll(20, TimeUnit.SECONDS));
    }
}
