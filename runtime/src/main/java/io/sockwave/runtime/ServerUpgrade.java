package io.sockwave.runtime;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.protocol.handshake.HttpHeadParser;
import io.sockwave.protocol.handshake.HttpRequest;
import io.sockwave.protocol.handshake.HttpResponse;
import io.sockwave.protocol.handshake.ServerHandshake;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * The server's side of a connection until the opening handshake is done: reads the request head (bounded by the
 * handshake limits and deadline), routes an upgrade by its path, and either switches the connection to
 * {@link Framing} or answers over HTTP and closes. A refused upgrade is answered with its status (404 for a path
 * with no route, 400 for a path or query that is not valid percent-encoded UTF-8, 400/403/405/426/431 from the
 * handshake) and the connection is closed, never reused.
 */
final class ServerUpgrade implements Phase {
    private final ChannelDriver driver;
    private final ServerEngine server;
    private final long deadline;
    private HttpHeadParser parser;
    private boolean answered;

    ServerUpgrade(ChannelDriver driver, ServerEngine server) {
        this.driver = driver;
        this.server = server;
        this.parser = HttpHeadParser.requests(server.spec().session().limits());
        this.deadline = driver.loop.now() + server.spec().session().handshakeNanos();
        driver.wakeBy(deadline);
    }

    @Override
    public void onData(ByteBuffer in) {
        if (answered) {
            in.position(in.limit());
            return;
        }
        HttpRequest request;
        try {
            if (!parser.parse(in)) {
                return;
            }
            request = parser.request();
        } catch (HandshakeException e) {
            in.position(in.limit());
            answer(e.toResponse());
            return;
        }
        parser = null;
        if (!ServerHandshake.isUpgradeRequest(request)) {
            in.position(in.limit());
            serveHttp(request);
            return;
        }
        Router.Match route;
        try {
            route = server.spec().routes().match(request.path());
            QueryParameters.parse(request.query());
        } catch (IllegalArgumentException e) {
            in.position(in.limit());
            answer(HttpResponse.error(400, e.getMessage()));
            return;
        }
        if (route == null) {
            in.position(in.limit());
            answer(HttpResponse.error(404, "no WebSocket endpoint at " + request.path()));
            return;
        }
        ServerHandshake.Accepted accepted;
        try {
            accepted = server.spec().handshake().accept(request);
        } catch (HandshakeException e) {
            in.position(in.limit());
            answer(e.toResponse());
            return;
        }
        upgrade(request, route, accepted, in);
    }

    private void upgrade(HttpRequest request, Router.Match route, ServerHandshake.Accepted accepted,
                         ByteBuffer leftover) {
        SessionOptions options = server.spec().session();
        ConnectionConfig shared = driver.loop.adopt(server.connectionConfig());
        ConnectionConfig config = accepted.extensions().isEmpty()
                ? shared
                : shared.withExtensions(accepted.extensions());
        driver.send(accepted.response().encode(), null);
        Connection connection = new Connection(config);
        WebSocketSession session = new WebSocketSession(driver, route.route().listener(), options, connection,
                false, request.target(), request.headers(), accepted.subprotocol(), server.sessionIds(),
                route.pathParams());
        Framing framing = new Framing(driver, session, connection, options);
        session.attach(framing);
        framing.open(null, leftover);
    }

    /** A plain HTTP request: the application's handler answers, on the executor if callbacks run on one. */
    private void serveHttp(HttpRequest request) {
        answered = true;
        Executor executor = server.spec().session().executor();
        if (executor == null) {
            answer(handle(request));
            return;
        }
        executor.execute(() -> {
            HttpResponse response = handle(request);
            driver.loop.execute(() -> {
                if (driver.isOpen()) {
                    answer(response);
                }
            });
        });
    }

    private HttpResponse handle(HttpRequest request) {
        try {
            HttpResponse response = server.spec().httpHandler().handle(request);
            if (response == null) {
                throw new IllegalStateException("the HTTP handler returned no response");
            }
            return response;
        } catch (RuntimeException | Error e) {
            EventLoop.LOG.log(Level.WARNING, "HTTP handler failed on " + request.method() + " " + request.target(), e);
            return HttpResponse.error(500, "internal server error");
        }
    }

    private void answer(HttpResponse response) {
        answered = true;
        if (!response.headers().containsToken("Connection", "close")) {
            response.headers().add("Connection", "close");
        }
        driver.send(response.encode(), null);
        driver.closeAfterFlush();
    }

    @Override
    public void onEof() {
        driver.terminate(null);
    }

    @Override
    public long onTimer(long now) {
        if (TimerNode.reached(now, deadline)) {
            EventLoop.LOG.log(Level.DEBUG, "opening handshake from {0} timed out", driver.remoteAddress());
            driver.terminate(null);
            return Long.MAX_VALUE;
        }
        return deadline;
    }

    @Override
    public void goingAway() {
        driver.terminate(null);
    }

    @Override
    public void onEnd(Throwable cause) {
        parser = null;
    }
}
