package io.sockwave.interop.matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;

/** Java-WebSocket's client (org.java-websocket, TooTallNate's), in this JVM, with its own thread per connection. */
final class JavaWebSocketClient implements PeerClient {
    private static final long SECONDS = 60;

    /** @return Java-WebSocket's version, from the pom.properties in its jar (its manifest names none) */
    static String version() {
        try (InputStream in = WebSocket.class.getResourceAsStream(
                "/META-INF/maven/org.java-websocket/Java-WebSocket/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("Java-WebSocket's jar has no pom.properties");
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param subprotocols spoken or offered, most preferred first; without them, any (Java-WebSocket's empty
     *     protocol takes a handshake without Sec-WebSocket-Protocol)
     * @return a draft with permessage-deflate as the variant asks, compressing every message (threshold 0)
     */
    static Draft_6455 draft(Setup setup) {
        List<IExtension> extensions = new ArrayList<>();
        if (setup.deflate() != Setup.Deflate.NONE) {
            PerMessageDeflateExtension deflate = new PerMessageDeflateExtension();
            deflate.setThreshold(0);
            if (setup.deflate() == Setup.Deflate.NO_CONTEXT_TAKEOVER) {
                deflate.setServerNoContextTakeover(true);
                deflate.setClientNoContextTakeover(true);
            }
            extensions.add(deflate);
        }
        List<IProtocol> protocols = new ArrayList<>();
        for (String protocol : setup.subprotocols()) {
            protocols.add(new Protocol(protocol));
        }
        if (protocols.isEmpty()) {
            protocols.add(new Protocol(""));
        }
        return new Draft_6455(extensions, protocols);
    }

    static String subprotocolOf(WebSocket socket) {
        IProtocol protocol = socket.getProtocol();
        return protocol == null || protocol.getProvidedProtocol().isEmpty() ? null : protocol.getProvidedProtocol();
    }

    static void sendFragments(WebSocket socket, Opcode type, List<byte[]> pieces) {
        for (int i = 0; i < pieces.size(); i++) {
            socket.sendFragmentedFrame(type, ByteBuffer.wrap(pieces.get(i)), i == pieces.size() - 1);
        }
    }

    static void ping(WebSocket socket, String payload) {
        PingFrame ping = new PingFrame();
        ping.setPayload(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
        socket.sendFrame(ping);
    }

    @Override
    public Link connect(URI uri, Setup setup) throws Exception {
        Client client = new Client(uri, setup);
        if (setup.tls() != null) {
            client.setSocketFactory(setup.tls().client().getSocketFactory());
        }
        client.setConnectionLostTimeout(0);
        if (!client.connectBlocking(SECONDS, TimeUnit.SECONDS)) {
            String why = String.valueOf(client.queue.poll());
            client.closeBlocking();
            throw new IOException("Java-WebSocket's client did not connect: " + why);
        }
        return new ClientLink(client);
    }

    /** Java-WebSocket's client, one per connection, queueing what arrives. */
    private static final class Client extends WebSocketClient {
        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        volatile String extensions = "";

        Client(URI uri, Setup setup) {
            super(uri, draft(setup));
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            extensions = handshake.hasFieldValue("Sec-WebSocket-Extensions")
                    ? handshake.getFieldValue("Sec-WebSocket-Extensions") : "";
        }

        @Override
        public void onMessage(String message) {
            queue.add(Received.Message.of(message));
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            queue.add(Received.Message.of(false, copy));
        }

        @Override
        public void onWebsocketPong(WebSocket socket, Framedata pong) {
            queue.add(new Received.Pong(StandardCharsets.UTF_8.decode(pong.getPayloadData()).toString()));
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            queue.add(new Received.Closed(code, reason));
        }

        @Override
        public void onError(Exception e) {
            queue.add(e);
        }
    }

    private record ClientLink(Client client) implements Link {
        @Override
        public String subprotocol() {
            return subprotocolOf(client);
        }

        @Override
        public String extensions() {
            return client.extensions;
        }

        @Override
        public void send(Payload payload) {
            if (payload.text()) {
                client.send(payload.string());
            } else {
                client.send(payload.bytes());
            }
        }

        @Override
        public void sendUtf8Fragments(List<byte[]> pieces) {
            sendFragments(client, Opcode.TEXT, pieces);
        }

        @Override
        public String sendTextFragments(List<String> pieces) {
            throw new UnsupportedOperationException("sent as UTF-8 fragments");
        }

        @Override
        public void sendBinaryFragments(List<byte[]> pieces) {
            sendFragments(client, Opcode.BINARY, pieces);
        }

        @Override
        public void ping(String payload) {
            JavaWebSocketClient.ping(client, payload);
        }

        @Override
        public void close(int code, String reason) {
            client.close(code, reason);
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            Object next = client.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (next instanceof Exception e) {
                throw new IllegalStateException("Java-WebSocket's client failed", e);
            }
            return (Received) next;
        }

        @Override
        public void close() throws IOException {
            try {
                client.closeBlocking();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while closing");
            }
        }
    }
}
