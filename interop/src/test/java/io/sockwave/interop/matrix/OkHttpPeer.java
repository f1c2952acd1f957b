package io.sockwave.interop.matrix;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * OkHttp 5's WebSocket client, in this JVM. OkHttp always offers plain permessage-deflate and takes the server's
 * no-context-takeover terms; it has no API for fragments or for pings of the application's own.
 */
final class OkHttpPeer implements PeerClient {
    @Override
    public Link connect(URI uri, Setup setup) throws Exception {
        OkHttpClient.Builder builder = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60));
        if (setup.tls() != null) {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(setup.tls().trustStore());
            X509TrustManager trust = (X509TrustManager) factory.getTrustManagers()[0];
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
            builder.sslSocketFactory(context.getSocketFactory(), trust);
        }
        OkHttpClient client = builder.build();
        Request.Builder request = new Request.Builder().url(uri.toString());
        if (!setup.subprotocols().isEmpty()) {
            request.header("Sec-WebSocket-Protocol", String.join(", ", setup.subprotocols()));
        }
        Events events = new Events();
        WebSocket socket = client.newWebSocket(request.build(), events);
        try {
            Response response = events.opened.get(30, TimeUnit.SECONDS);
            return new OkHttpLink(client, socket, events, response.header("Sec-WebSocket-Protocol"),
                    response.header("Sec-WebSocket-Extensions", ""));
        } catch (Exception e) {
            socket.cancel();
            shutdown(client);
            throw e;
        }
    }

    private static void shutdown(OkHttpClient client) {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private static final class Events extends WebSocketListener {
        final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
        final CompletableFuture<Response> opened = new CompletableFuture<>();

        @Override
        public void onOpen(WebSocket socket, Response response) {
            opened.complete(response);
        }

        @Override
        public void onMessage(WebSocket socket, String text) {
            queue.add(Received.Message.of(text));
        }

        @Override
        public void onMessage(WebSocket socket, ByteString bytes) {
            queue.add(Received.Message.of(false, bytes.toByteArray()));
        }

        @Override
        public void onClosing(WebSocket socket, int code, String reason) {
            queue.add(new Received.Closed(code, reason));
            socket.close(code, reason);
        }

        @Override
        public void onFailure(WebSocket socket, Throwable error, Response response) {
            opened.completeExceptionally(error);
            queue.add(new Received.Closed(1006, String.valueOf(error)));
        }
    }

    private record OkHttpLink(OkHttpClient client, WebSocket socket, Events events, String subprotocol,
                              String extensions) implements Link {
        @Override
        public void send(Payload payload) {
            boolean queued = payload.text() ? socket.send(payload.string())
                    : socket.send(ByteString.of(payload.bytes()));
            if (!queued) {
                throw new IllegalStateException("OkHttp refused to queue " + payload);
            }
        }

        @Override
        public String sendTextFragments(List<String> pieces) {
            throw new UnsupportedOperationException("OkHttp's WebSocket sends whole messages only");
        }

        @Override
        public void sendBinaryFragments(List<byte[]> pieces) {
            throw new UnsupportedOperationException("OkHttp's WebSocket sends whole messages only");
        }

        @Override
        public void ping(String payload) {
            throw new UnsupportedOperationException("OkHttp pings only on its own interval and reports no pong");
        }

        @Override
        public void close(int code, String reason) {
            socket.close(code, reason);
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            return events.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            socket.close(1000, null);
            socket.cancel();
            shutdown(client);
        }
    }
}
