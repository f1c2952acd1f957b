package io.sockwave.interop.matrix;

import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sockwave's server in the matrix: an echo server at {@code /echo} that also obeys {@link Commands}, and records the
 * handshake and the close of its session. It imposes the deflate variant of the {@link Setup}: no context takeover on
 * both sides, or the smallest window both ways.
 */
public final class SockwaveServer extends RecordingEchoServer {
    private final Server server;

    private SockwaveServer(Setup setup) throws IOException {
        super(setup.tls() != null);
        Server.Builder builder = Server.builder().host("127.0.0.1").port(0).route("/echo", new CommandedEcho());
        if (!setup.subprotocols().isEmpty()) {
            builder.subprotocols(setup.subprotocols().toArray(String[]::new));
        }
        PerMessageDeflate deflate = deflate(setup);
        if (deflate != null) {
            builder.extensions(deflate);
        }
        if (setup.tls() != null) {
            builder.tls(setup.tls().server());
        }
        this.server = builder.build().start();
    }

    /** @return a factory of Sockwave servers */
    static EchoServer.Factory factory() {
        return SockwaveServer::new;
    }

    private static PerMessageDeflate deflate(Setup setup) {
        PerMessageDeflate.Builder deflate = PerMessageDeflate.builder().threshold(0);
        return switch (setup.deflate()) {
            case NONE -> null;
            case DEFAULT -> deflate.build();
            case NO_CONTEXT_TAKEOVER -> deflate.serverNoContextTakeover(true).clientNoContextTakeover(true).build();
            case SMALLEST_WINDOW -> deflate.serverMaxWindowBits(setup.windowBits())
                    .clientMaxWindowBits(setup.windowBits()).build();
        };
    }




    @Override
    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    private final class CommandedEcho implements Listener {
        @Override
        public void onOpen(Session session) {
            opened.complete(new Handshake(session.subprotocol(), session.extensions().isEmpty() ? ""
                    : session.extensions().get(0).toHeaderValue()));
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
