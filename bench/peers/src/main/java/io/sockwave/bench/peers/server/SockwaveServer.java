package io.sockwave.bench.peers.server;

import io.sockwave.Listener;
import io.sockwave.PreparedMessage;
import io.sockwave.Server;
import io.sockwave.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Sockwave as its README shows it: one event loop (the server gets one CPU), a listener per route. Echo sends each
 * message back; broadcast encodes the message once with {@link PreparedMessage} and hands it to
 * {@link Server#broadcast}, which queues the shared frame on every subscriber.
 */
final class SockwaveServer implements BenchServer {
    private final Server server;

    private SockwaveServer(Server server) {
        this.server = server;
    }

    static SockwaveServer start(String host, int port) throws IOException {
        return start(host, port, null);
    }

    /** @param tls the server's context for wss://, or null for ws:// */
    static SockwaveServer start(String host, int port, SSLContext tls) throws IOException {
        Set<Session> subscribers = ConcurrentHashMap.newKeySet();
        Server server = Server.builder()
                .host(host)
                .port(port)
                .eventLoops(1)
                .tls(tls)
                .route("/echo", new Listener() {
                    @Override
                    public void onText(Session session, String text) {
                        session.sendText(text);
                    }

                    @Override
                    public void onBinary(Session session, ByteBuffer data) {
                        session.sendBinary(data);
                    }
                })
                .route("/broadcast", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        subscribers.add(session);
                    }

                    @Override
                    public void onText(Session session, String text) {
                        Server.broadcast(subscribers, PreparedMessage.text(text));
                    }

                    @Override
                    public void onClose(Session session, int code, String reason) {
                        subscribers.remove(session);
                    }
                })
                .build()
                .start();
        return new SockwaveServer(server);
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
