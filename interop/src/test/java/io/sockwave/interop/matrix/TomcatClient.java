package io.sockwave.interop.matrix;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.websocket.WsWebSocketContainer;

/** Tomcat's Jakarta WebSocket client ({@link WsWebSocketContainer}), in this JVM; one container per connection. */
final class TomcatClient implements PeerClient {
    /** Tomcat buffers a whole message in a buffer of this size, allocated per session: room for 16 MiB, no more. */
    static final int MAX_MESSAGE = Scenarios.LARGE + 1024;
    static final long IDLE_MILLIS = 60_000;
    /**
     * Tomcat encodes each part of a partial sendText on its own and refuses a surrogate pair split between parts
     * ("Encoding error [MALFORMED[1]]", seen with 11.0.29), so the pieces are cut between code points.
     */
    static final String CODE_POINTS = "cut between code points: Tomcat's partial sendText refuses a split surrogate"
            + " pair";

    /** @return Tomcat's version, as tomcat-embed-core reports it ("Apache Tomcat/11.0.29") */
    static String version() {
        String info = ServerInfo.getServerInfo();
        return info.substring(info.indexOf('/') + 1);
    }

    @Override
    public Link connect(URI uri, Setup setup) throws Exception {
        WsWebSocketContainer container = new WsWebSocketContainer();
        container.setDefaultMaxTextMessageBufferSize(MAX_MESSAGE);
        container.setDefaultMaxBinaryMessageBufferSize(MAX_MESSAGE);
        container.setDefaultMaxSessionIdleTimeout(IDLE_MILLIS);
        Events events = new Events();
        ClientEndpointConfig.Builder config = ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(setup.subprotocols())
                .extensions(offer(setup))
                .configurator(events.configurator());
        if (setup.tls() != null) {
            config.sslContext(setup.tls().client());
        }
        Session session = container.connectToServer(events, config.build(), uri);
        return new TomcatLink(container, session, events);
    }

    private static List<Extension> offer(Setup setup) {
        String bits = Integer.toString(setup.windowBits());
        return switch (setup.deflate()) {
            case NONE -> List.of();
            case DEFAULT -> List.of(new Deflate(List.of()));
            case NO_CONTEXT_TAKEOVER -> List.of(new Deflate(List.of(new Parameter("server_no_context_takeover", null),
                    new Parameter("client_no_context_takeover", null))));
            // Tomcat deflates with java.util.zip at 15 bits only, so its client can ask for a smaller window from
            // the server but cannot keep to one itself.
            case SMALLEST_WINDOW -> List.of(new Deflate(List.of(new Parameter("server_max_window_bits", bits))));
        };
    }

    /** An offer of permessage-deflate: the Jakarta API takes any Extension, Tomcat's own ones are not public. */
    private record Deflate(List<Extension.Parameter> getParameters) implements Extension {
        @Override
        public String getName() {
            return "permessage-deflate";
        }
    }

    private record Parameter(String getName, String getValue) implements Extension.Parameter {
    }

    /** Formats negotiated extensions as a Sec-WebSocket-Extensions value. */
    static String header(List<Extension> extensions) {
        List<String> all = new ArrayList<>();
        for (Extension extension : extensions) {
            StringBuilder value = new StringBuilder(extension.getName());
            for (Extension.Parameter parameter : extension.getParameters()) {
                value.append("; ").append(parameter.getName());
                if (parameter.getValue() != null) {
                    value.append('=').append(parameter.getValue());
                }
            }
            all.add(value.toString());
        }
        return String.join(", ", all);
    }

    /** The client's endpoint: queues whole messages, pongs and the close, and keeps the handshake's answer. */
    static final class Events extends Endpoint {
        final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
        volatile String extensionsHeader = "";

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, text -> queue.add(Received.Message.of(text)));
            session.addMessageHandler(ByteBuffer.class, data -> {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                queue.add(Received.Message.of(false, bytes));
            });
            session.addMessageHandler(PongMessage.class, pong ->
                    queue.add(new Received.Pong(StandardCharsets.UTF_8.decode(pong.getApplicationData()).toString())));
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            queue.add(new Received.Closed(reason.getCloseCode().getCode(), reason.getReasonPhrase()));
        }

        /** Keeps the server's Sec-WebSocket-Extensions as it was sent. */
        ClientEndpointConfig.Configurator configurator() {
            return new ClientEndpointConfig.Configurator() {
                @Override
                public void afterResponse(HandshakeResponse response) {
                    List<String> values = response.getHeaders().entrySet().stream()
                            .filter(e -> e.getKey().equalsIgnoreCase("Sec-WebSocket-Extensions"))
                            .map(Map.Entry::getValue).findFirst().orElse(List.of());
                    extensionsHeader = String.join(", ", values);
                }
            };
        }
    }

    private record TomcatLink(WsWebSocketContainer container, Session session, Events events) implements Link {
        @Override
        public String subprotocol() {
            String agreed = session.getNegotiatedSubprotocol();
            return agreed == null || agreed.isEmpty() ? null : agreed;
        }

        @Override
        public String extensions() {
            return events.extensionsHeader;
        }

        @Override
        public void send(Payload payload) throws IOException {
            if (payload.text()) {
                session.getBasicRemote().sendText(payload.string());
            } else {
                session.getBasicRemote().sendBinary(ByteBuffer.wrap(payload.bytes()));
            }
        }

        @Override
        public String sendTextFragments(List<String> pieces) throws IOException {
            sendPartialText(session, Commands.wholeCodePoints(pieces));
            return CODE_POINTS;
        }

        @Override
        public void sendBinaryFragments(List<byte[]> pieces) throws IOException {
            sendPartialBinary(session, pieces);
        }

        @Override
        public void ping(String payload) throws IOException {
            session.getBasicRemote().sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close(int code, String reason) throws IOException {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            return events.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws IOException {
            try {
                if (session.isOpen()) {
                    session.close();
                }
            } finally {
                container.destroy();
            }
        }
    }

    static void sendPartialText(Session session, List<String> pieces) throws IOException {
        for (int i = 0; i < pieces.size(); i++) {
            session.getBasicRemote().sendText(pieces.get(i), i == pieces.size() - 1);
        }
    }

    static void sendPartialBinary(Session session, List<byte[]> pieces) throws IOException {
        for (int i = 0; i < pieces.size(); i++) {
            session.getBasicRemote().sendBinary(ByteBuffer.wrap(pieces.get(i)), i == pieces.size() - 1);
        }
    }
}
