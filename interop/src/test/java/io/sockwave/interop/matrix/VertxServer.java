package io.sockwave.interop.matrix;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Vert.x 5's HTTP server (vertx-core) upgrading to WebSocket, as a commanded echo server: permessage-deflate is on
 * (Vert.x's default), and taken with no context takeover when the client offers it; the setup's subprotocols are
 * spoken. Vert.x has no setting for window bits: it takes the window Sockwave's client asks for.
 */
final class VertxServer extends RecordingEchoServer {
    private final Vertx vertx = VertxClient.vertx();
    private final HttpServer server;

    private VertxServer(Setup setup) throws Exception {
        super(setup.tls() != null);
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setMaxWebSocketFrameSize(VertxClient.MAX_MESSAGE)
                .setMaxWebSocketMessageSize(VertxClient.MAX_MESSAGE)
                .setPerMessageWebSocketCompressionSupported(true)
                .setWebSocketSubProtocols(setup.subprotocols());
        if (setup.deflate() == Setup.Deflate.NO_CONTEXT_TAKEOVER) {
            options.setWebSocketAllowServerNoContext(true).setWebSocketPreferredClientNoContext(true);
        }
        if (tls) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(setup.tls().certificatePem().toString())
                    .setKeyPath(setup.tls().keyPem().toString()));
        }
        try {
            server = VertxClient.await(vertx.createHttpServer(options).webSocketHandler(this::echo).listen());
        } catch (Exception e) {
            VertxClient.stop(vertx);
            throw e;
        }
    }

    /** @return a factory of Vert.x servers */
    static EchoServer.Factory factory() {
        return EchoServer.Factory.of(VertxServer::new,
                PeerTraits.of(VertxClient.SMALLEST_WINDOW_BITS, VertxClient.UTF8_SPLIT));
    }

    private void echo(ServerWebSocket ws) {
        // Vert.x does not tell the extensions it answered with; the client's view is checked instead.
        opened.complete(new Handshake(ws.subProtocol(), null));
        ws.textMessageHandler(text -> command(ws, text));
        ws.binaryMessageHandler(ws::writeBinaryMessage);
        ws.pongHandler(data -> ws.writeTextMessage("!pong " + data.toString(StandardCharsets.UTF_8)));
        ws.closeHandler(ignored -> closed.complete(VertxClient.closeOf(ws)));
    }

    private static void command(ServerWebSocket ws, String text) {
        if (text.startsWith("!ping ")) {
            ws.writePing(Buffer.buffer(Commands.arguments(text).get(0), "UTF-8"));
        } else if (text.startsWith("!close ")) {
            List<String> args = Commands.arguments(text);
            ws.close(Short.parseShort(args.get(0)), args.get(1));
        } else if (text.equals("!fragments")) {
            VertxClient.writeUtf8Fragments(ws, Commands.utf8Pieces());
            VertxClient.writeBinaryFragments(ws, Commands.binaryPieces());
        } else {
            ws.writeTextMessage(text);
        }
    }




    @Override
    int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws IOException {
        VertxClient.stop(vertx);
    }
}
