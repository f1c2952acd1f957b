package io.sockwave.bench.peers.server;

import io.sockwave.Listener;
import io.sockwave.PreparedMessage;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.Topic;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Sockwave as its README shows it: one event loop (the server gets one CPU), a listener per route. Echo sends each
 * message back, binary ones lent ({@code lendBinary}: valid during the callback, as uWebSockets.js lends its
 * ArrayBuffer and Netty's handler passes its frame on, where Sockwave would otherwise give the listener an array of
 * its own per message); broadcast publishes each message to a {@link Topic} every connection on the route joins,
 * as uWebSockets.js publishes to a topic its sockets subscribe to: the message is encoded once and each member takes
 * the turn's messages in one visit. With {@code -Dsockwave.bench.broadcast=set} (a labelled variant's JVM flags),
 * broadcast is {@link Server#broadcast} to a concurrent set instead, which tells the caller which session took each
 * message and so looks at every session per message.
 */
final class SockwaveServer implements BenchServer {
    /** Whether broadcast goes through {@link Server#broadcast} to a set rather than through a {@link Topic}. */
    private static final boolean BROADCAST_TO_SET = "set".equals(System.getProperty("sockwave.bench.broadcast"));

    private final Server server;

    private SockwaveServer(Server server) {
        this.server = server;
    }

    /**
     * @param tls the server's context for wss://, or null for ws://
     * @param extensions the extensions to negotiate (none for the plain kind)
     */
    static SockwaveServer start(String host, int port, SSLContext tls, ExtensionFactory... extensions)
            throws IOException {
        Server server = Server.builder()
                .host(host)
                .port(port)
                .eventLoops(1)
                .tls(tls)
                .extensions(extensions)
                .lendBinary(true)
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
                .route("/broadcast", BROADCAST_TO_SET ? broadcastToSet() : publishToTopic())
                .build()
                .start();
        return new SockwaveServer(server);
    }

    /** @return a listener that publishes each text message to a topic every connection joins when it opens */
    private static Listener publishToTopic() {
        Topic subscribers = new Topic("broadcast");
        return new Listener() {
            @Override
            public void onOpen(Session session) {
                // A session leaves its topics by itself when it closes.
                subscribers.add(session);
            }

            @Override
            public void onText(Session session, String text) {
                subscribers.publishText(text);
            }
        };
    }

    /** @return a listener that sends each text message with {@link Server#broadcast} to the open connections */
    private static Listener broadcastToSet() {
        Set<Session> subscribers = ConcurrentHashMap.newKeySet();
        return new Listener() {
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
        };
    }

    /**
     * @return permessage-deflate as the compression scenarios compare it: level 6 and 15-bit windows (the defaults,
     *     as Netty's and ws's), context takeover as the client offers it, and a threshold of 0, so that every message
     *     is compressed, as Netty and ws (configured so) do; the default threshold would send the chat stream's
     *     messages under 128 bytes uncompressed
     */
    static PerMessageDeflate deflate() {
        return PerMessageDeflate.builder().threshold(0).build();
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
