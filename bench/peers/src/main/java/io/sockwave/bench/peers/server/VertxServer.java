package io.sockwave.bench.peers.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Vert.x 5 as its core documentation sets a server up: a {@code Vertx} instance with one event loop (the server gets
 * one CPU), the native transport preferred (Netty's epoll, which the documentation recommends for performance and
 * the benchmark's jar carries), and one verticle, {@link VertxWebSocketVerticle}, whose HTTP server hands every
 * WebSocket to its handler.
 */
final class VertxServer implements BenchServer {
    private static final long TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final int port;

    private VertxServer(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
    }

    static VertxServer start(String host, int port) throws Exception {
        return start(host, port, null, null);
    }

    /**
     * @param certificate the key and certificate for wss://, or null for ws://
     * @param tls Vert.x's engine for wss://: {@link TlsProvider#JDK} or {@link TlsProvider#OPENSSL} (tcnative)
     */
    static VertxServer start(String host, int port, BenchCertificate certificate, TlsProvider tls)
            throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        try {
            if (!vertx.isNativeTransportEnabled()) {
                throw new IllegalStateException("Vert.x did not get Netty's native epoll transport",
                        vertx.unavailableNativeTransportCause());
            }
            HttpServerOptions options = new HttpServerOptions()
                    .setHost(host)
                    .setPort(port)
                    .setAcceptBacklog(4096)
                    .setMaxWebSocketFrameSize(65536)
                    .setMaxWebSocketMessageSize(65536);
            if (certificate != null) {
                options.setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions()
                                .setKeyValue(Buffer.buffer(certificate.keyPem()))
                                .setCertValue(Buffer.buffer(certificate.certificatePem())))
                        .setSslEngineOptions(switch (tls) {
                            case JDK -> new JdkSSLEngineOptions();
                            case OPENSSL -> new OpenSSLEngineOptions();
                            case CONSCRYPT -> throw new IllegalArgumentException(
                                    "the vertx server takes --tls jdk or openssl");
                        });
            }
            VertxWebSocketVerticle verticle = new VertxWebSocketVerticle(options);
            await(vertx.deployVerticle(verticle));
            return new VertxServer(vertx, verticle.server().actualPort());
        } catch (Exception | Error e) {
            vertx.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            await(vertx.close());
        } catch (Exception e) {
            throw new IllegalStateException("Vert.x did not stop cleanly", e);
        }
    }

    private static <T> T await(Future<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
