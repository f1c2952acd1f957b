package io.sockwave.bench.peers.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * netty-tcnative's engine behind a plain {@link SSLContext}, so that a server taking any {@code SSLContext}
 * (Sockwave's {@code Server.Builder.tls}) runs on it unchanged: the SPI hands out the engines of a Netty
 * {@link SslContext} built with {@code SslProvider.OPENSSL}.
 *
 * <p>That provider's engines are not reference-counted: each frees its native {@code SSL} when it is closed both ways,
 * or when it is collected. {@link SslContext#newEngine(ByteBufAllocator)} makes them in JDK-compatible mode (one
 * record per {@code unwrap}, as {@link SSLEngine}'s contract says). The allocator only serves heap buffers, which the
 * engine copies through direct ones of its own; Sockwave gives a native engine direct buffers, so it is rarely used.
 * The context has no sockets (an engine is all Sockwave asks of it), hence no default parameters either (ask an
 * engine for its {@code getSSLParameters()}), and {@link #init} is a no-op: the Netty context already holds the key
 * and certificate.
 */
final class TcnativeSslContext extends SSLContext {
    private static final Provider PROVIDER = new Provider("SockwaveBenchTcnative", "1.0",
            "netty-tcnative's OpenSslEngine behind SSLContext, for the peer benchmark") {
        private static final long serialVersionUID = 1L;
    };

    /** @param netty a server context built with {@code SslProvider.OPENSSL} */
    TcnativeSslContext(SslContext netty) {
        super(new Spi(netty), PROVIDER, "TLS");
    }

    private static final class Spi extends SSLContextSpi {
        private final SslContext netty;

        Spi(SslContext netty) {
            this.netty = netty;
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
            // Nothing: the Netty context was built with its key and certificate.
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return netty.newEngine(ByteBufAllocator.DEFAULT);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return netty.newEngine(ByteBufAllocator.DEFAULT, host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return netty.sessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return netty.sessionContext();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new UnsupportedOperationException("netty-tcnative has engines only, no sockets");
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException("netty-tcnative has engines only, no sockets");
        }
    }
}
