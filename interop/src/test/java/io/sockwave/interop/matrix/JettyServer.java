package io.sockwave.interop.matrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12's WebSocket server (jetty-websocket-jetty-server) as a commanded echo server: permessage-deflate is on
 * (Jetty's default), the subprotocols of the setup are spoken, the first one the client offers wins.
 */
public final class JettyServer extends RecordingEchoServer {
    private final Server server = new Server();
    private final ServerConnector connector;

    private JettyServer(Setup setup) throws Exception {
        super(setup.tls() != null);
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(setup.tls().server());
            connector = new ServerConnector(server, ssl);
        } else {
            connector = new ServerConnector(server);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(JettyClient.MAX_MESSAGE);
            container.setMaxBinaryMessageSize(JettyClient.MAX_MESSAGE);
            container.setMaxFrameSize(JettyClient.MAX_MESSAGE);
            container.setIdleTimeout(Duration.ofSeconds(60));
            container.addMapping("/echo", (request, response, callback) -> {
                request.getSubProtocols().stream().filter(setup.subprotocols()::contains).findFirst()
                        .ifPresent(response::setAcceptedSubProtocol);
                return new CommandedEcho();
            });
        }));
        server.start();
    }

    /** @return a factory of Jetty servers, with what Jetty can do */
    static EchoServer.Factory factory() {
        return EchoServer.Factory.of(JettyServer::new, PeerTraits.of(8, JettyClient.CODE_POINTS));
    }




    @Override
    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        JettyClient.stop(server);
    }

    public final class CommandedEcho implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            String subprotocol = session.getUpgradeResponse().getAcceptedSubProtocol();
            // Jetty's server-side upgrade response lists the offer's parameters, not its answer: not comparable.
            opened.complete(new Handshake(subprotocol == null || subprotocol.isEmpty() ? null : subprotocol, null));
        }

        @Override
        public void onWebSocketText(String text) {
            if (text.startsWith("!ping ")) {
                session.sendPing(ByteBuffer.wrap(Commands.arguments(text).get(0).getBytes(StandardCharsets.UTF_8)),
                        Callback.NOOP);
            } else if (text.startsWith("!close ")) {
                List<String> args = Commands.arguments(text);
                session.close(Integer.parseInt(args.get(0)), args.get(1), Callback.NOOP);
            } else if (text.equals("!fragments")) {
                sendFragments();
            } else {
                session.sendText(text, Callback.NOOP);
            }
        }

        private void sendFragments() {
            try {
                JettyClient.sendPartialText(session, Commands.wholeCodePoints(Commands.textPieces()));
                List<byte[]> binary = Commands.binaryPieces();
                for (int i = 0; i < binary.size(); i++) {
                    ByteBuffer piece = ByteBuffer.wrap(binary.get(i));
                    boolean last = i == binary.size() - 1;
                    Callback.Completable.with(c -> session.sendPartialBinary(piece, last, c)).get();
                }
            } catch (Exception e) {
                session.close(1011, "fragments failed: " + e.getMessage(), Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            session.sendBinary(copy, Callback.NOOP);
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            session.sendText("!pong " + StandardCharsets.UTF_8.decode(payload), Callback.NOOP);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            closed.complete(new Received.Closed(statusCode, reason));
            callback.succeed();
        }
    }
}
