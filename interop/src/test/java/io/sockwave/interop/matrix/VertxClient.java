package io.sockwave.interop.matrix;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Vert.x 5's WebSocket client (vertx-core), in this JVM; one Vert.x instance with one event loop per connection.
 * Vert.x answers pings and the close handshake itself, and aggregates fragments into whole messages.
 */
final class VertxClient implements PeerClient {
    static final int MAX_MESSAGE = 32 * 1024 * 1024;
    /** Vert.x compresses through Netty, which needs jzlib below 15 bits, and jzlib refuses 8 (netty/netty#8702). */
    static final int SMALLEST_WINDOW_BITS = 9;
    static final String UTF8_SPLIT = "U+1F600's UTF-8 split across frames";
    private static final long SECONDS = 60;

    @Override
    public int smallestWindowBits() {
        return SMALLEST_WINDOW_BITS;
    }

    /** @return the version of vertx-core on the class path, from its jar's manifest */
    static String version() {
        return Vertx.class.getPackage().getImplementationVersion();
    }

    static Vertx vertx() {
        return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    }

    /** Waits for a Vert.x future and turns its failure into an exception. */
    static <T> T await(Future<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.toCompletionStage().toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
    }

    /** Stops a Vert.x instance and every client and server it holds. */
    static void stop(Vertx vertx) throws IOException {
        try {
            await(vertx.close());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while Vert.x stopped");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("Vert.x did not stop", e);
        }
    }

    /**
     * Writes a text message as fragments whose UTF-8 is given piece by piece. Vert.x builds a text frame only from a
     * String, and a continuation frame from bytes: the first piece's whole code points go in the text frame, and its
     * remaining bytes (part of a code point) in a continuation frame of their own, so the cut stays where it was.
     *
     * @return the write of the last fragment
     */
    static Future<Void> writeUtf8Fragments(WebSocketBase ws, List<byte[]> pieces) {
        byte[] first = pieces.get(0);
        int whole = wholeCodePoints(first);
        ws.writeFrame(WebSocketFrame.textFrame(new String(first, 0, whole, StandardCharsets.UTF_8), false));
        List<byte[]> rest = new ArrayList<>();
        if (whole < first.length) {
            rest.add(Arrays.copyOfRange(first, whole, first.length));
        }
        rest.addAll(pieces.subList(1, pieces.size()));
        return writeContinuations(ws, rest);
    }

    /** Writes a binary message as fragments, one per piece; @return the write of the last fragment. */
    static Future<Void> writeBinaryFragments(WebSocketBase ws, List<byte[]> pieces) {
        ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(pieces.get(0)), false));
        return writeContinuations(ws, pieces.subList(1, pieces.size()));
    }

    private static Future<Void> writeContinuations(WebSocketBase ws, List<byte[]> pieces) {
        Future<Void> last = null;
        for (int i = 0; i < pieces.size(); i++) {
            last = ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(pieces.get(i)),
                    i == pieces.size() - 1));
        }
        return last;
    }

    /** @return the length of the longest prefix of the UTF-8 bytes that ends on a code point boundary */
    private static int wholeCodePoints(byte[] utf8) {
        int lead = utf8.length - 1;
        while (lead >= 0 && (utf8[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead < 0) {
            return 0;
        }
        int b = utf8[lead] & 0xff;
        int length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        return utf8.length - lead >= length ? utf8.length : lead;
    }

    /** @return what the close of a Vert.x WebSocket received, or 1006 when no close frame came */
    static Received.Closed closeOf(WebSocketBase ws) {
        Short code = ws.closeStatusCode();
        if (code == null) {
            return new Received.Closed(1006, "connection ended without a close frame");
        }
        return new Received.Closed(code, ws.closeReason() == null ? "" : ws.closeReason());
    }

    @Override
    public Link connect(URI uri, Setup setup) throws Exception {
        WebSocketClientOptions options = new WebSocketClientOptions()
                .setMaxFrameSize(MAX_MESSAGE)
                .setMaxMessageSize(MAX_MESSAGE);
        switch (setup.deflate()) {
            case NONE -> { }
            // Vert.x has no setting for window bits: it offers client_max_window_bits and takes what Sockwave imposes.
            case DEFAULT, SMALLEST_WINDOW -> options.setTryUsePerMessageCompression(true);
            case NO_CONTEXT_TAKEOVER -> options.setTryUsePerMessageCompression(true)
                    .setCompressionAllowClientNoContext(true)
                    .setCompressionRequestServerNoContext(true);
        }
        if (setup.tls() != null) {
            options.setSsl(true).setTrustOptions(
                    new PemTrustOptions().addCertPath(setup.tls().certificatePem().toString()));
        }
        Vertx vertx = vertx();
        try {
            WebSocketClient client = vertx.createWebSocketClient(options);
            ClientWebSocket ws = client.webSocket();
            BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
            ws.textMessageHandler(text -> queue.add(Received.Message.of(text)));
            ws.binaryMessageHandler(data -> queue.add(Received.Message.of(false, data.getBytes())));
            ws.pongHandler(data -> queue.add(new Received.Pong(data.toString(StandardCharsets.UTF_8))));
            ws.closeHandler(ignored -> queue.add(closeOf(ws)));
            await(ws.connect(new WebSocketConnectOptions()
                    .setHost(uri.getHost())
                    .setPort(uri.getPort())
                    .setURI(uri.getRawPath())
                    .setSsl(setup.tls() != null)
                    .setSubProtocols(setup.subprotocols())));
            String extensions = ws.headers().get("Sec-WebSocket-Extensions");
            return new VertxLink(vertx, client, ws, queue, extensions == null ? "" : extensions);
        } catch (Exception e) {
            stop(vertx);
            throw e;
        }
    }

    /**
     * Holds the WebSocketClient for as long as the connection is used: Vert.x 5 closes a client, with its
     * connections, once the client is garbage collected (seen here as "Connection evicted" during the handshake).
     */
    private record VertxLink(Vertx vertx, WebSocketClient client, ClientWebSocket ws, BlockingQueue<Received> queue,
            String extensions) implements Link {
        @Override
        public String subprotocol() {
            String agreed = ws.subProtocol();
            return agreed == null || agreed.isEmpty() ? null : agreed;
        }

        @Override
        public void send(Payload payload) throws Exception {
            await(payload.text() ? ws.writeTextMessage(payload.string())
                    : ws.writeBinaryMessage(Buffer.buffer(payload.bytes())));
        }

        @Override
        public void sendUtf8Fragments(List<byte[]> pieces) throws Exception {
            await(writeUtf8Fragments(ws, pieces));
        }

        @Override
        public String sendTextFragments(List<String> pieces) {
            throw new UnsupportedOperationException("sent as UTF-8 fragments");
        }

        @Override
        public void sendBinaryFragments(List<byte[]> pieces) throws Exception {
            await(writeBinaryFragments(ws, pieces));
        }

        @Override
        public void ping(String payload) throws Exception {
            await(ws.writePing(Buffer.buffer(payload, "UTF-8")));
        }

        @Override
        public void close(int code, String reason) throws Exception {
            await(ws.close((short) code, reason));
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws IOException {
            stop(vertx);
        }
    }
}
