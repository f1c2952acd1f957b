package io.sockwave.bench.peers.server;

import java.util.Arrays;
import java.util.Locale;

/** The servers the benchmark compares, by the name the script and the report use. */
public enum ServerKind {
    /** Sockwave, one event loop. */
    SOCKWAVE,
    /** Netty 4.2 on its NIO transport, one event loop. */
    NETTY_NIO,
    /** Netty 4.2 on its native epoll transport, one event loop. */
    NETTY_EPOLL,
    /** Jetty 12 with its WebSocket API and default thread pool. */
    JETTY,
    /** uWebSockets.js, run by Node in a process of its own. */
    UWEBSOCKETS,
    /** Vert.x 5, one event loop, one verticle. */
    VERTX;

    /** @return the name used on the command line and in reports, e.g. {@code netty-epoll} */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param id a name as {@link #id()} returns it
     * @return the kind
     * @throws IllegalArgumentException for an unknown name
     */
    public static ServerKind of(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown server " + id + "; known: "
                        + Arrays.stream(values()).map(ServerKind::id).toList()));
    }

    /** @return whether the server runs in a JVM (every kind but uWebSockets.js, which Node runs) */
    public boolean onJvm() {
        return this != UWEBSOCKETS;
    }

    /**
     * @return whether what this kind needs outside the JVM is there: for uWebSockets.js, its npm package beside
     *     {@code server.js} (Node itself is the caller's to check)
     */
    public boolean installed() {
        return onJvm() || UWebSocketsServer.packageInstalled();
    }

    /**
     * Starts a server of this kind.
     *
     * @param host the loopback address to listen on
     * @param port the port, or 0 for a free one
     * @return the running server
     * @throws Exception if it cannot start
     */
    public BenchServer start(String host, int port) throws Exception {
        return switch (this) {
            case SOCKWAVE -> SockwaveServer.start(host, port);
            case NETTY_NIO -> NettyServer.start(host, port, false);
            case NETTY_EPOLL -> NettyServer.start(host, port, true);
            case JETTY -> JettyServer.start(host, port);
            case UWEBSOCKETS -> UWebSocketsServer.start(host, port);
            case VERTX -> VertxServer.start(host, port);
        };
    }

    /**
     * Starts a wss:// server of this kind, with the process's certificate ({@link BenchCertificate}).
     *
     * @param host the loopback address to listen on
     * @param port the port, or 0 for a free one
     * @param tls who does the TLS: Sockwave takes {@code jdk} or {@code conscrypt} (any {@code SSLContext}), Netty
     *     {@code jdk}, {@code conscrypt} or {@code openssl} (tcnative), Vert.x {@code jdk} or {@code openssl}
     * @return the running server
     * @throws IllegalArgumentException if this kind has no wss:// server here (Jetty, uWebSockets.js) or not
     *     with that provider
     * @throws Exception if it cannot start
     */
    public BenchServer start(String host, int port, TlsProvider tls) throws Exception {
        return switch (this) {
            case SOCKWAVE -> SockwaveServer.start(host, port, tls.sslContext(BenchCertificate.shared()));
            case NETTY_NIO -> NettyServer.start(host, port, false, tls.nettyContext(BenchCertificate.shared()));
            case NETTY_EPOLL -> NettyServer.start(host, port, true, tls.nettyContext(BenchCertificate.shared()));
            case VERTX -> VertxServer.start(host, port, BenchCertificate.shared(), tls);
            case JETTY, UWEBSOCKETS -> throw new IllegalArgumentException("the " + id() + " server has no wss://"
                    + " variant in this benchmark");
        };
    }
}
