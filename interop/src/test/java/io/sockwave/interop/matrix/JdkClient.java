package io.sockwave.interop.matrix;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The JDK's {@code java.net.http.WebSocket} client (JDK 11+), in this JVM. */
final class JdkClient implements PeerClient {
    private static final long SECONDS = 60;

    @Override
    public String noDeflateReason() {
        return "java.net.http.WebSocket negotiates no extension and refuses a Sec-WebSocket-Extensions header";
    }

    @Override
    public Link connect(URI uri, Setup setup) throws Exception {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (setup.tls() != null) {
            http.sslContext(setup.tls().client());
        }
        HttpClient client = http.build();
        WebSocket.Builder builder = client.newWebSocketBuilder();
        List<String> protocols = setup.subprotocols();
        if (!protocols.isEmpty()) {
            builder.subprotocols(protocols.get(0), protocols.subList(1, protocols.size()).toArray(String[]::new));
        }
        Events events = new Events();
        WebSocket socket = builder.buildAsync(uri, events).get(SECONDS, TimeUnit.SECONDS);
        return new JdkLink(socket, events);
    }

    /** Collects whole messages from the parts the JDK delivers. */
    private static final class Events implements WebSocket.Listener {
        final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                queue.add(Received.Message.of(text.toString()));
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                queue.add(Received.Message.of(false, binary.toByteArray()));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            queue.add(new Received.Pong(StandardCharsets.UTF_8.decode(message).toString()));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            queue.add(new Received.Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            queue.add(new Received.Closed(1006, String.valueOf(error)));
        }
    }

    private record JdkLink(WebSocket socket, Events events) implements Link {
        @Override
        public String subprotocol() {
            String agreed = socket.getSubprotocol();
            return agreed.isEmpty() ? null : agreed;
        }

        @Override
        public String extensions() {
            return "";
        }

        @Override
        public void send(Payload payload) throws Exception {
            if (payload.text()) {
                socket.sendText(payload.string(), true).get(SECONDS, TimeUnit.SECONDS);
            } else {
                socket.sendBinary(ByteBuffer.wrap(payload.bytes()), true).get(SECONDS, TimeUnit.SECONDS);
            }
        }

        @Override
        public String sendTextFragments(List<String> pieces) throws Exception {
            // The JDK refuses a part that ends inside a surrogate pair ("Malformed text message").
            List<String> whole = Commands.wholeCodePoints(pieces);
            for (int i = 0; i < whole.size(); i++) {
                socket.sendText(whole.get(i), i == whole.size() - 1).get(SECONDS, TimeUnit.SECONDS);
            }
            return "cut between code points: the JDK refuses a part ending inside a surrogate pair";
        }

        @Override
        public void sendBinaryFragments(List<byte[]> pieces) throws Exception {
            for (int i = 0; i < pieces.size(); i++) {
                socket.sendBinary(ByteBuffer.wrap(pieces.get(i)), i == pieces.size() - 1)
                        .get(SECONDS, TimeUnit.SECONDS);
            }
        }

        @Override
        public void ping(String payload) throws Exception {
            socket.sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8))).get(SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void close(int code, String reason) throws Exception {
            socket.sendClose(code, reason).get(SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            return events.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
