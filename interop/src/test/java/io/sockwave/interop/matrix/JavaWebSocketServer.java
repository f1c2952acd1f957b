package io.sockwave.interop.matrix;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.enums.Opcode;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * Java-WebSocket's server as a commanded echo server: permessage-deflate through its PerMessageDeflateExtension when
 * the setup asks for deflate, the setup's subprotocols spoken, the server's first one the client offers wins.
 */
final class JavaWebSocketServer extends RecordingEchoServer {
    private final Server server;

    private JavaWebSocketServer(Setup setup) throws Exception {
        super(setup.tls() != null);
        server = new Server(setup);
        if (tls) {
            server.setWebSocketFactory(new DefaultSSLWebSocketServerFactory(setup.tls().server()));
        }
        server.setConnectionLostTimeout(0);
        server.setReuseAddr(true);
        server.start();
        try {
            server.started.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("Java-WebSocket's server did not start", e);
        }
    }

    /** @return a factory of Java-WebSocket servers */
    static EchoServer.Factory factory() {
        return EchoServer.Factory.of(JavaWebSocketServer::new, PeerTraits.of(8, VertxClient.UTF8_SPLIT));
    }

    @Override
    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while Java-WebSocket's server stopped");
        }
    }

    private final class Server extends WebSocketServer {
        final CompletableFuture<Void> started = new CompletableFuture<>();

        Server(Setup setup) {
            super(new InetSocketAddress("127.0.0.1", 0), List.of(JavaWebSocketClient.draft(setup)));
        }

        @Override
        public void onStart() {
            started.complete(null);
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake handshake) {
            // Java-WebSocket does not tell the extensions it answered with; the client's view is checked instead.
            opened.complete(new Handshake(JavaWebSocketClient.subprotocolOf(socket), null));
        }

        @Override
        public void onMessage(WebSocket socket, String text) {
            if (text.startsWith("!ping ")) {
                JavaWebSocketClient.ping(socket, Commands.arguments(text).get(0));
            } else if (text.startsWith("!close ")) {
                List<String> args = Commands.arguments(text);
                socket.close(Integer.parseInt(args.get(0)), args.get(1));
            } else if (text.equals("!fragments")) {
                JavaWebSocketClient.sendFragments(socket, Opcode.TEXT, Commands.utf8Pieces());
                JavaWebSocketClient.sendFragments(socket, Opcode.BINARY, Commands.binaryPieces());
            } else {
                socket.send(text);
            }
        }

        @Override
        public void onMessage(WebSocket socket, ByteBuffer data) {
            socket.send(data);
        }

        @Override
        public void onWebsocketPong(WebSocket socket, Framedata pong) {
            socket.send("!pong " + StandardCharsets.UTF_8.decode(pong.getPayloadData()));
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            closed.complete(new Received.Closed(code, reason));
        }

        @Override
        public void onError(WebSocket socket, Exception e) {
            started.completeExceptionally(e);
        }
    }
}
