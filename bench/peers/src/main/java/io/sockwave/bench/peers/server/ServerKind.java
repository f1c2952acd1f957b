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
    VERTX,
    /** Sockwave with permessage-deflate, for the compression scenarios. */
    SOCKWAVE_DEFLATE,
    /** Netty 4.2 on epoll with its permessage-deflate extension handler, for the compression scenarios. */
    NETTY_EPOLL_DEFLATE,
    /** The npm {@code ws} library with permessage-deflate, run by Node in a process of its own. */
    WS_NODE;

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

    /** @return whether the server runs in a JVM (every kind but uWebSockets.js and ws, which Node runs) */
    public boolean onJvm() {
        return this != UWEBSOCKETS && this != WS_NODE;
    }

    /** @return whether the server negotiates permessage-deflate, as the compression scenarios need */
    public boolean negotiatesDeflate() {
        return this == SOCKWAVE_DEFLATE || this == NETTY_EPOLL_DEFLATE || this == WS_NODE;
    }

    /**
     * @return whether what this kind needs outside the JVM is there: for uWebSockets.js and ws, its npm package
     *     beside {@code server.js} (Node itself is the caller's to check)
     */
    public boolean installed() {
        if (onJvm()) {
            return true;
        }
        return (this == WS_NODE ? NodeServer.WS : NodeServer.UWEBSOCKETS).packageInstalled();
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
            case SOCKWAVE -> SockwaveServer.start(host, port, null);
            case NETTY_NIO -> NettyServer.start(host, port, false);
            case NETTY_EPOLL -> NettyServer.start(host, port, true);
            case JETTY -> JettyServer.start(host, port);
            case UWEBSOCKETS -> NodeServer.start(NodeServer.UWEBSOCKETS, host, port);
            case VERTX -> VertxServer.start(host, port);
            case SOCKWAVE_DEFLATE -> SockwaveServer.start(host, port, null, SockwaveServer.deflate());
            case NETTY_EPOLL_DEFLATE -> NettyServer.start(host, port, true, null, true);
            case WS_NODE -> NodeServer.start(NodeServer.WS, host, port);
        };
    }

    /**
     * Starts a wss:// server of this kind, with the process's certificate ({@link BenchCertificate}).
     *
     * @param host the loopback address to listen on
     * @param port the port, or 0 for a free one
     * @param tls who does the TLS: Sockwave and Netty take {@code jdk}, {@code conscrypt} or {@code openssl} (tcnative;
     *     Sockwave through {@link TcnativeSslContext}), Vert.x {@code jdk} or {@code openssl}
     * @return the running server
     * @throws IllegalArgumentException if this kind has no wss:// server here (Jetty, uWebSockets.js, the deflate
     *     kinds) or not
     *     with that provider
     * @throws Exception if it cannot start
     */
    public BenchServer start(String host, int port, TlsProvider tls) throws Exception {
        return switch (this) {
            case SOCKWAVE -> SockwaveServer.start(host, port, tls.sslContext(BenchCertificate.shared()));
            case NETTY_NIO -> NettyServer.start(host, port, false, tls.nettyContext(BenchCertificate.shared()), false);
            case NETTY_EPOLL -> NettyServer.start(host, port, true, tls.nettyContext(BenchCertificate.shared()), false);
            case VERTX -> VertxServer.start(host, port, BenchCertificate.shared(), tls);
            case JETTY, UWEBSOCKETS, SOCKWAVE_DEFLATE, NETTY_EPOLL_DEFLATE, WS_NODE ->
                    throw new IllegalArgumentException("the " + id() + " server has no wss:// variant in this benchmark");
        };
    }
}
