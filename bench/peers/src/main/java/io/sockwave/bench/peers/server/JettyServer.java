package io.sockwave.bench.peers.server;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12 with its own WebSocket API ({@code jetty-websocket-jetty-server}) on a core (non-servlet) server,
 * configured as the Jetty documentation does: default thread pool, one connector with its default acceptor and
 * selector counts (one each on one CPU), a {@link WebSocketUpgradeHandler} mapping the two paths to endpoints.
 * Only the idle timeouts are raised, so that the idle-memory connections are not closed under the benchmark.
 */
final class JettyServer implements BenchServer {
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    private final Server server;
    private final ServerConnector connector;

    private JettyServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static JettyServer start(String host, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);

        Set<Session> subscribers = ConcurrentHashMap.newKeySet();
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context, container -> {
            container.setIdleTimeout(IDLE_TIMEOUT);
            container.setMaxBinaryMessageSize(65536);
            container.setMaxTextMessageSize(65536);
            container.addMapping("/echo", (request, response, callback) -> new JettyEchoEndpoint());
            container.addMapping("/broadcast",
                    (request, response, callback) -> new JettyBroadcastEndpoint(subscribers));
        }));
        server.setHandler(context);
        server.start();
        return new JettyServer(server, connector);
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        }
    }
}
