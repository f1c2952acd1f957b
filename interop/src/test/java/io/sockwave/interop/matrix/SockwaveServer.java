package io.sockwave.interop.matrix;

import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * Sockwave's server in the matrix: an echo server at {@code /echo} that also obeys {@link Commands}, and records the
 * close each session received and what its handshake agreed.
 */
public final class SockwaveServer implements AutoCloseable {
    /** The server's configuration for one feature. */
    public record Setup(List<String> subprotocols, PerMessageDeflate deflate, SSLContext tls) {
        public static Setup plain() {
            return new Setup(List.of(), null, null);
        }
    }

    private final Server server;
    private final boolean tls;
    private final CompletableFuture<Received.Closed> closed = new CompletableFuture<>();
    private final CompletableFuture<Session> opened = new CompletableFuture<>();

    public SockwaveServer(Setup setup) throws IOException {
        Server.Builder builder = Server.builder().host("127.0.0.1").port(0).route("/echo", new CommandedEcho());
        if (!setup.subprotocols().isEmpty()) {
            builder.subprotocols(setup.subprotocols().toArray(String[]::new));
        }
        if (setup.deflate() != null) {
            builder.extensions(setup.deflate());
        }
        if (setup.tls() != null) {
            builder.tls(setup.tls());
        }
        this.tls = setup.tls() != null;
        this.server = builder.build().start();
    }

    /** @return the echo endpoint's URI */
    public URI uri() {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + server.port() + "/echo");
    }

    /** @return completes with the close frame the (last) session received, or 1006 */
    public CompletableFuture<Received.Closed> closed() {
        return closed;
    }

    /** @return completes with the session once open */
    public CompletableFuture<Session> opened() {
        return opened;
    }

    @Override
    public void close() {
        server.close();
    }

    private final class CommandedEcho implements Listener {
        @Override
        public void onOpen(Session session) {
            opened.complete(session);
        }

        @Override
        public void onText(Session session, String text) {
            if (text.startsWith("!ping ")) {
                session.ping(ByteBuffer.wrap(Commands.arguments(text).get(0).getBytes(StandardCharsets.UTF_8)));
            } else if (text.startsWith("!close ")) {
                List<String> args = Commands.arguments(text);
                session.close(Integer.parseInt(args.get(0)), args.get(1));
            } else if (text.equals("!fragments")) {
                List<String> pieces = Commands.textPieces();
                for (int i = 0; i < pieces.size(); i++) {
                    session.sendText(pieces.get(i), i == pieces.size() - 1);
                }
                List<byte[]> binary = Commands.binaryPieces();
                for (int i = 0; i < binary.size(); i++) {
                    session.sendBinary(ByteBuffer.wrap(binary.get(i)), i == binary.size() - 1);
                }
            } else {
                session.sendText(text);
            }
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            session.sendBinary(data);
        }

        @Override
        public void onPong(Session session, ByteBuffer payload) {
            session.sendText("!pong " + StandardCharsets.UTF_8.decode(payload));
        }

        @Override
        public void onClose(Session session, int code, String reason) {
            closed.complete(new Received.Closed(code, reason));
        }
    }
}
