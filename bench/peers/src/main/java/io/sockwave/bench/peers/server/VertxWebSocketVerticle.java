package io.sockwave.bench.peers.server;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * The WebSocket server as a Vert.x application writes it: a verticle whose HTTP server's
 * {@code webSocketHandler} sets the message handlers of each {@link ServerWebSocket} by path. Echo is
 * {@code writeTextMessage}/{@code writeBinaryMessage} of each message received. Broadcast writes each text message
 * to every socket of a set that the verticle keeps.
 *
 * <p>Why a set rather than the event bus (a local consumer per socket, one {@code publish} per message): the event
 * bus is Vert.x's way to reach sockets that live on other event loops or verticles; here every socket is on the
 * verticle's own event loop, where Vert.x's threading model guarantees its handlers run one at a time, so a plain
 * set is the direct form, the one the other servers use too (Jetty's set of sessions, Netty's {@code ChannelGroup}),
 * and the event bus would add a dispatch per socket that measures the bus rather than the WebSocket path.
 */
final class VertxWebSocketVerticle extends VerticleBase {
    private final HttpServerOptions options;
    /** Touched only on this verticle's event loop. */
    private final Set<ServerWebSocket> subscribers = new HashSet<>();
    private HttpServer server;

    VertxWebSocketVerticle(HttpServerOptions options) {
        this.options = options;
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(options).webSocketHandler(this::accept);
        return server.listen();
    }

    /** @return the listening server, once {@link #start} completed */
    HttpServer server() {
        return server;
    }

    private void accept(ServerWebSocket ws) {
        switch (ws.path()) {
            case "/echo" -> {
                ws.textMessageHandler(ws::writeTextMessage);
                ws.binaryMessageHandler(ws::writeBinaryMessage);
            }
            case "/broadcast" -> {
                subscribers.add(ws);
                ws.textMessageHandler(this::broadcast);
                ws.closeHandler(closed -> subscribers.remove(ws));
            }
            default -> ws.close();
        }
    }

    private void broadcast(String text) {
        for (ServerWebSocket subscriber : subscribers) {
            subscriber.writeTextMessage(text);
        }
    }
}
