package io.sockwave.runtime;

import io.sockwave.AttributeKey;
import io.sockwave.UpgradeDecision;
import io.sockwave.UpgradeHook;
import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.protocol.handshake.HttpHeadParser;
import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpRequest;
import io.sockwave.protocol.handshake.HttpResponse;
import io.sockwave.protocol.handshake.ServerHandshake;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The server's side of a connection until the opening handshake is done: reads the request head (bounded by the
 * handshake limits and deadline), routes an upgrade by its path, asks the application's {@link UpgradeHook}s if
 * there are any, and either switches the connection to {@link Framing} or answers over HTTP and closes. A refused
 * upgrade is answered with its status (404 for a path with no route, 400 for a path or query that is not valid
 * percent-encoded UTF-8, 400/403/405/426/431 from the handshake, what a hook chose) and the connection is closed,
 * never reused.
 */
final class ServerUpgrade implements Phase {
    /**
     * What a client may send past its request while a hook decides: its first frames, sent before the 101 although
     * RFC 6455 §4.1 asks it to wait for the answer. Beyond it the client is not waiting at all, and is refused.
     */
    private static final int MAX_HELD = 64 * 1024;

    private final ChannelDriver driver;
    private final ServerEngine server;
    private long deadline;
    /** Taken from the loop when the first bytes come; null before and once the head is read. */
    private HttpHeadParser parser;
    private boolean answered;
    /** Whether a plain request is with the HTTP handler on the callback executor, its answer not yet made. */
    private boolean handling;
    /** Whether the request is a HEAD, whose answer has no body (RFC 9110 §9.3.2). */
    private boolean head;
    /** An upgrade waiting for the hooks' decision; null otherwise. */
    private Pending pending;

    ServerUpgrade(ChannelDriver driver, ServerEngine server) {
        this.driver = driver;
        this.server = server;
        this.deadline = driver.loop.now() + server.spec().session().handshakeNanos();
        driver.wakeBy(deadline);
    }

    @Override
    public void onData(ByteBuffer in) {
        if (pending != null) {
            pending.hold(in);
            return;
        }
        if (answered) {
            in.position(in.limit());
            return;
        }
        if (parser == null) {
            parser = driver.loop.requestParsers.take(limits());
        }
        HttpHeadParser reading = parser;
        HttpRequest request;
        try {
            if (!reading.parse(in)) {
                return;
            }
            request = reading.request();
            head = request.method().equals("HEAD");
            request = RequestChecks.check(request);
        } catch (HandshakeException e) {
            in.position(in.limit());
            answer(e.toResponse());
            return;
        }
        parser = null;
        if (request.method().equals("CONNECT")) {
            // RFC 9110 §9.3.6: a 2xx to CONNECT would turn the connection into a tunnel this server does not open
            // (its Content-Length forbidden there too), so no handler is asked: the server is no proxy. An Upgrade
            // field changes nothing (a handshake is a GET), so its authority-form target is not routed either.
            in.position(in.limit());
            answer(HttpResponse.error(501, "CONNECT is not implemented: this server is no proxy"));
            return;
        }
        // OPTIONS * names no resource a route could serve: its Upgrade field is ignored (RFC 9110 §7.8). So is a
        // HEAD's: a handshake is a GET (RFC 6455 §4.1), and a HEAD gets the head GET would get without upgrading
        // (RFC 9110 §9.3.2), whether or not it asked to (426 on a route the handler does not serve).
        if (head || !ServerHandshake.isUpgradeRequest(request) || request.target().equals("*")) {
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
        } catch (RuntimeException e) {
            // The application's origin policy or extension factory failed, as a hook may: the client is told so.
            EventLoop.LOG.log(Level.WARNING, "the origin policy or an extension factory failed on "
                    + request.target() + " from " + driver.remoteAddress() + "; answering 500", e);
            in.position(in.limit());
            answer(HttpResponse.error(500, "internal server error"));
            return;
        }
        UpgradeHook serverHook = server.spec().upgradeHook();
        UpgradeHook routeHook = route.route().hook();
        if (serverHook == null && routeHook == null) {
            upgrade(request, route, accepted, null, in);
            // Nothing holds the request any more: the session packed what it keeps of the head.
            driver.loop.requestParsers.giveBack(reading, limits());
        } else {
            askHooks(new Pending(request, route, accepted), in, serverHook, routeHook);
        }
    }

    private Limits limits() {
        return server.spec().session().limits();
    }

    /**
     * Runs the hooks where callbacks run. Reading goes on meanwhile, so that a client gone before the decision (its
     * end of stream, a reset) lets go of the connection at once rather than at the handshake timeout; what it sends
     * after its request is held, bounded, and delivered only after an acceptance.
     *
     * @param rest what came after the request in the same read
     */
    private void askHooks(Pending waiting, ByteBuffer rest, UpgradeHook serverHook, UpgradeHook routeHook) {
        pending = waiting;
        if (!waiting.hold(rest)) {
            return;
        }
        UpgradeCheck check = new UpgradeCheck(waiting.request, waiting.route.pathParams(), driver.remoteAddress(),
                driver.localAddress(), driver.sslSession());
        waiting.decision.whenComplete((decision, failure) -> {
            if (driver.loop.inLoop()) {
                decided(waiting, decision, failure);
            } else {
                driver.loop.execute(() -> decided(waiting, decision, failure));
            }
        });
        CompletableFuture<UpgradeDecision> relay = waiting.decision;
        Runnable ask = () -> check.run(serverHook, routeHook, relay).whenComplete((decision, failure) -> {
            if (failure != null) {
                relay.completeExceptionally(failure);
            } else {
                relay.complete(decision);
            }
        });
        Executor executor = server.spec().session().executor();
        if (executor == null) {
            ask.run();
            return;
        }
        try {
            executor.execute(ask);
        } catch (RejectedExecutionException e) {
            CallbackQueue.REFUSALS.warn("the callback executor refused the upgrade hook; answering 503", e);
            CallbackQueue.takeBackDropped();
            pending = null;
            waiting.refuse(HttpResponse.error(503, "the server cannot decide about upgrades now"));
        }
    }

    private void decided(Pending waiting, UpgradeDecision decision, Throwable failure) {
        if (pending != waiting || !driver.isOpen()) {
            return; // timed out or closed meanwhile; the extensions were closed then
        }
        pending = null;
        if (failure != null) {
            EventLoop.LOG.log(Level.WARNING, "upgrade hook failed on " + waiting.request.target() + " from "
                    + driver.remoteAddress() + "; answering 500", failure);
            waiting.refuse(HttpResponse.error(500, "internal server error"));
            return;
        }
        if (!decision.isAccepted()) {
            waiting.refuse(decision.refusal());
            return;
        }
        String chosen = decision.subprotocol();
        if (chosen != null && !waiting.request.headers().tokens("Sec-WebSocket-Protocol").contains(chosen)) {
            EventLoop.LOG.log(Level.WARNING, "upgrade hook chose subprotocol " + chosen + ", which the client at "
                    + driver.remoteAddress() + " did not offer; answering 500");
            waiting.refuse(HttpResponse.error(500, "internal server error"));
            return;
        }
        upgrade(waiting.request, waiting.route, waiting.accepted, decision, waiting.takeHeld());
    }

    /**
     * @param decision the hooks' acceptance, whose headers, subprotocol and attributes apply; null without hooks
     * @param leftover what the client sent after its request: its first frames
     */
    private void upgrade(HttpRequest request, Router.Match route, ServerHandshake.Accepted accepted,
                         UpgradeDecision decision, ByteBuffer leftover) {
        SessionOptions options = server.spec().session();
        ConnectionConfig shared = driver.loop.adopt(server.connectionConfig());
        ConnectionConfig config = accepted.extensions().isEmpty()
                ? shared
                : shared.withExtensions(accepted.extensions());
        String subprotocol = accepted.subprotocol();
        // The 101 goes in one of the loop's reused frames, given back once written like any frame the loop encodes.
        ByteBuffer head;
        if (decision == null) {
            head = accepted.encode(driver.loop.frames.allocate(accepted.encodedSize()));
        } else {
            if (decision.subprotocol() != null) {
                subprotocol = decision.subprotocol();
            }
            HttpResponse response = amend(accepted.response(), decision, subprotocol);
            head = response.encode(driver.loop.frames.allocate(response.encodedSize()));
        }
        // In the control lane, which nothing overtakes: a ping or close from onOpen, or the pong owed to a ping sent
        // right behind the request, goes ahead of data but must not go ahead of the 101 (RFC 6455 §4.2.2).
        driver.sendControl(head.flip(), null);
        Connection connection = new Connection(config);
        WebSocketSession session = new WebSocketSession(driver, route.route().listener(), request.target(),
                request.headers(), subprotocol, server.sessionIds(), route.pathParams());
        if (decision != null) {
            for (Map.Entry<AttributeKey<?>, Object> attribute : decision.attributes().entrySet()) {
                set(session, attribute.getKey(), attribute.getValue());
            }
        }
        Framing framing = new Framing(driver, session, connection);
        session.attach(framing);
        framing.open(null, leftover);
    }

    /** The 101 with the hook's subprotocol in place of the handshake's, and the hook's headers after it. */
    private static HttpResponse amend(HttpResponse response, UpgradeDecision decision, String subprotocol) {
        HttpHeaders headers = new HttpHeaders();
        response.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Sec-WebSocket-Protocol")) {
                headers.add(name, value);
            }
        });
        if (subprotocol != null) {
            headers.add("Sec-WebSocket-Protocol", subprotocol);
        }
        decision.headers().forEach(headers::add);
        return new HttpResponse(response.status(), response.reason(), headers, null);
    }

    private static <T> void set(WebSocketSession session, AttributeKey<T> key, Object value) {
        session.setAttribute(key, key.type().cast(value));
    }

    /**
     * RFC 9110 §15.5.22: a plain GET or HEAD for a WebSocket endpoint that the HTTP handler does not serve (it
     * answered 404) is told which protocol to upgrade to. Any other method would be refused after the upgrade too
     * (a handshake is a GET): 405 with the method the endpoint allows (§15.5.6).
     */
    private HttpResponse upgradeRequiredIfRouted(HttpRequest request, HttpResponse response) {
        if (response.status() != 404 || !server.spec().routes().routes(request.path())) {
            return response;
        }
        if (request.method().equals("GET") || request.method().equals("HEAD")) {
            return upgradeRequired(request);
        }
        HttpResponse refused = HttpResponse.error(405, request.path() + " is a WebSocket endpoint; "
                + request.method() + " is not allowed there");
        refused.headers().add("Allow", "GET");
        return refused;
    }

    private static HttpResponse upgradeRequired(HttpRequest request) {
        return HttpResponse.upgradeRequired(request.path() + " is a WebSocket endpoint; send a WebSocket upgrade"
                + " request");
    }

    /** A plain HTTP request: the application's handler answers, on the executor if callbacks run on one. */
    private void serveHttp(HttpRequest request) {
        answered = true;
        Executor executor = server.spec().session().executor();
        if (executor == null) {
            answer(handle(request));
            return;
        }
        handling = true;
        try {
            executor.execute(() -> {
                HttpResponse response = handle(request);
                driver.loop.execute(() -> {
                    if (handling && driver.isOpen()) {
                        handling = false;
                        answer(response);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            // A bounded executor that is full, or one shut down: the same answer as for an upgrade whose hook it
            // refuses.
            CallbackQueue.REFUSALS.warn("the callback executor refused an HTTP request; answering 503", e);
            CallbackQueue.takeBackDropped();
            handling = false;
            answer(HttpResponse.error(503, "the server cannot serve requests now"));
        }
    }

    private HttpResponse handle(HttpRequest request) {
        try {
            HttpResponse response = server.spec().httpHandler().handle(request);
            if (response == null) {
                throw new IllegalStateException("the HTTP handler returned no response");
            }
            if (response.status() < 200 || response.status() > 599) {
                // RFC 9110 §15: a 1xx is interim, after which the client would wait for a final answer in vain, and
                // a code past 599 is invalid.
                throw new IllegalStateException("the HTTP handler answered " + response.status()
                        + ", which is not a final status");
            }
            checkFraming(response);
            return upgradeRequiredIfRouted(request, response);
        } catch (RuntimeException | Error e) {
            EventLoop.LOG.log(Level.WARNING, "HTTP handler failed on " + request.method() + " " + request.target(), e);
            return HttpResponse.error(500, "internal server error");
        }
    }

    /**
     * RFC 9112 §6.2, §6.3: the server writes a handler's body as it is, framed by its length, so a
     * {@code Transfer-Encoding} (beside which no {@code Content-Length} may go), or a {@code Content-Length} that is
     * not the body's, would tell the client where the body ends wrongly. An empty body may carry the length of the
     * representation (a HEAD or 304 answer), except on a 204, which has none.
     */
    private static void checkFraming(HttpResponse response) {
        if (response.status() == 204 && response.headers().count("Content-Length") > 0) {
            // RFC 9110 §8.6: "A server MUST NOT send a Content-Length header field in any response with a status
            // code of ... 204 (No Content)".
            throw new IllegalStateException("the HTTP handler set Content-Length on a 204");
        }
        if (response.headers().count("Transfer-Encoding") > 0) {
            throw new IllegalStateException("the HTTP handler set Transfer-Encoding; the server sends the body as it"
                    + " is, framed by Content-Length");
        }
        int length = response.body().length;
        for (String value : response.headers().all("Content-Length")) {
            if (length > 0 && !value.trim().equals(Integer.toString(length))) {
                throw new IllegalStateException("the HTTP handler set Content-Length: " + value + " on a body of "
                        + length + " bytes");
            }
        }
    }

    private void answer(HttpResponse given) {
        answered = true;
        HttpResponse response = ClosingAnswer.of(given);
        ByteBuffer bytes = response.encode();
        if (head) {
            // RFC 9110 §9.3.2: the same head as for GET, Content-Length included, and no body.
            bytes.limit(bytes.limit() - response.body().length);
        }
        driver.send(bytes, null);
        driver.closeAfterFlush();
        // The handshake is over: the answer's writing gets the send timeout, however long its body (a deadline of
        // this phase's own, since under TLS its last record may wait in the engine with the queue empty).
        deadline = driver.loop.now() + server.spec().session().sendNanos();
        driver.wakeBy(deadline);
    }

    @Override
    public void onEof() {
        if (answered) {
            // A client may half-close once its request is sent: it still gets the answer, which a handler on the
            // callback executor may still be making, and the close after it. This phase's deadline still holds.
            return;
        }
        driver.terminate(null);
    }

    @Override
    public long onTimer(long now) {
        if (!TimerNode.reached(now, deadline)) {
            return deadline;
        }
        if (pending != null) {
            Pending late = pending;
            pending = null;
            EventLoop.LOG.log(Level.DEBUG, "upgrade hook did not decide about {0} within {1}; answering 503",
                    driver.remoteAddress(), Durations.readable(server.spec().session().handshakeNanos()));
            late.refuse(HttpResponse.error(503, "the upgrade was not decided within the handshake timeout"));
            return Long.MAX_VALUE;
        }
        if (handling) {
            // As for a hook (RFC 9110 §15.6.4): the client learns that no answer is coming, rather than meeting a
            // connection closed without one; the handler's late answer is dropped.
            handling = false;
            EventLoop.LOG.log(Level.DEBUG, "HTTP handler did not answer {0} within {1}; answering 503",
                    driver.remoteAddress(), Durations.readable(server.spec().session().handshakeNanos()));
            answer(HttpResponse.error(503, "the request was not answered within the handshake timeout"));
            return deadline;
        }
        EventLoop.LOG.log(Level.DEBUG, answered ? "the answer to {0} was not written within the send timeout"
                : "opening handshake from {0} timed out", driver.remoteAddress());
        driver.terminate(null);
        return Long.MAX_VALUE;
    }

    /**
     * Graceful shutdown. A request still being read is dropped; an upgrade waiting for its hooks is answered 503
     * (RFC 9110 §15.6.4), since a session opened after the going-away round would be cut without one; an answer
     * under way (a plain request's, or a refusal) is left to finish within its own deadline.
     */
    @Override
    public void goingAway() {
        if (pending != null) {
            Pending waiting = pending;
            pending = null;
            waiting.refuse(HttpResponse.error(503, "the server is shutting down"));
        } else if (!answered) {
            driver.terminate(null);
        }
    }

    @Override
    public void onEnd(Throwable cause) {
        parser = null;
        if (pending != null) {
            Pending abandoned = pending;
            pending = null;
            abandoned.abandon();
            abandoned.takeHeld();
            abandoned.accepted.extensions().forEach(Extension::close);
        }
    }

    /** An accepted request and what the client sent after it, while the hooks decide. */
    private final class Pending {
        final HttpRequest request;
        final Router.Match route;
        final ServerHandshake.Accepted accepted;
        /**
         * The hooks' decision, relayed from their stage: only this small future stays reachable from a stage that
         * never completes (a hook's stage may be shared by every request, and pending through an outage), since
         * {@link #abandon} drops what it holds of the connection once the upgrade is answered without it or ends.
         */
        final CompletableFuture<UpgradeDecision> decision = new CompletableFuture<>();
        /** What the client sent after its request; counted among the loop's buffers while not null. */
        private ByteBuffer held;

        Pending(HttpRequest request, Router.Match route, ServerHandshake.Accepted accepted) {
            this.request = request;
            this.route = route;
            this.accepted = accepted;
        }

        /**
         * Keeps bytes read after the request, bounded by {@link #MAX_HELD}; past it, refuses the upgrade with 400.
         *
         * @return whether the upgrade still waits for the decision
         */
        boolean hold(ByteBuffer in) {
            int n = in.remaining();
            if (n == 0) {
                return true;
            }
            int before = held == null ? 0 : held.remaining();
            if (before + n > MAX_HELD) {
                in.position(in.limit());
                EventLoop.LOG.log(Level.DEBUG, "{0} sent over {1} bytes while its upgrade was decided; answering 400",
                        driver.remoteAddress(), MAX_HELD);
                pending = null;
                refuse(HttpResponse.error(400, "more than " + MAX_HELD + " bytes sent after the upgrade request"
                        + " before its answer; a client waits for the answer (RFC 6455 §4.1)"));
                return false;
            }
            ByteBuffer grown = ByteBuffer.allocate(before + n);
            if (held == null) {
                driver.loop.countBuffers(1);
            } else {
                grown.put(held);
            }
            held = grown.put(in).flip();
            return true;
        }

        /** @return what was held, no longer counted as this connection's; null if nothing */
        ByteBuffer takeHeld() {
            ByteBuffer taken = held;
            if (taken != null) {
                held = null;
                driver.loop.countBuffers(-1);
            }
            return taken;
        }

        /** The decision no longer matters: its callback, which holds this connection, is let go. */
        void abandon() {
            decision.cancel(false);
        }

        /** Answers with a refusal: what was held is dropped unread, and the extensions are released. */
        void refuse(HttpResponse response) {
            abandon();
            takeHeld();
            accepted.extensions().forEach(Extension::close);
            answer(response);
        }
    }
}
