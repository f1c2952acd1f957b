package io.sockwave;

import io.sockwave.protocol.MessageBudget;
import io.sockwave.protocol.handshake.OriginPolicy;
import io.sockwave.protocol.handshake.ServerHandshake;
import io.sockwave.runtime.ServerEngine;
import io.sockwave.runtime.Router;
import io.sockwave.runtime.ServerSpec;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A WebSocket server: accepts TCP (or TLS) connections, runs the opening handshake, routes each upgrade by its path to
 * a {@link Listener}, and answers other HTTP requests through an {@link HttpHandler}.
 *
 * <pre>{@code
 * Server server = Server.builder()
 *         .port(8080)
 *         .route("/echo", new Listener() {
 *             public void onText(Session session, String text) {
 *                 session.sendText(text);
 *             }
 *         })
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>The server runs one selector thread per event loop; each connection belongs to one loop for its whole life.
 * Routes are path patterns ({@code /rooms/{name}}, {@code /static/*}) with a fixed precedence rule: see
 * {@link Builder#route}; an {@link UpgradeHook} may refuse or shape an upgrade before it is answered. An upgrade
 * request for a path with no route is answered with 404, a request the handshake refuses with its status
 * (400, 403, 426...), and the connection is then closed. The first check that fails decides the answer, in this
 * order: the request head itself (400, 414, 431, 505) and the rules of RFC 9112 every request meets (400), a
 * {@code CONNECT} (501), a path or query that does not decode (400), no route (404, whatever else the request gets
 * wrong), the handshake's checks of RFC 6455 §4.2.1 (405 for a method other than GET, 400, 426 for the version,
 * 403 for the origin), then the hooks. Thread-safe.
 */
public final class Server implements AutoCloseable {
    private final ServerEngine engine;

    private Server(ServerSpec spec) {
        this.engine = new ServerEngine(spec);
    }

    /** @return a builder with the defaults: any address, a free port, no routes, 404 for plain HTTP */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts the event loops.
     *
     * @return this server
     * @throws IOException if the port cannot be bound, or the host cannot be resolved
     *     ({@link java.net.UnknownHostException})
     * @throws IllegalStateException if the server was started before, or closed ({@link #close()},
     *     {@link #shutdown}): a server is started at most once
     */
    public Server start() throws IOException {
        engine.start();
        return this;
    }

    /**
     * @return the address the server listens on, with the actual port when port 0 was asked for; once it is closed
     *     ({@link #close()}, {@link #shutdown}), the address it listened on, as {@link java.net.ServerSocket} keeps
     *     its port: nothing listens there any more, the port being free once the close returns
     * @throws IllegalStateException if the server is not started (or its start failed)
     */
    public InetSocketAddress address() {
        return engine.address();
    }

    /**
     * @return the port the server listens on; once it is closed, the one it listened on, as {@link #address()}
     * @throws IllegalStateException if the server is not started (or its start failed)
     */
    public int port() {
        return address().getPort();
    }

    /**
     * Sends one message to many sessions, encoding it once (see {@link PreparedMessage}). Each session queues it on
     * its own; a session whose own send would fail at once is skipped and reported: closed or closing, over its
     * outbound limit (a slow reader), or refusing it otherwise. The call never blocks and never throws for a
     * session's state. A Sockwave server session queues the message's one frame itself, without a copy, a view or
     * a future of its own, so a delivery costs the loop no allocation. A Sockwave session in the middle of sending
     * a fragmented message of its own queues the message right after that message's last fragment, as a
     * {@link Topic} does (no frame may go between a message's fragments, RFC 6455 §5.4), counting it in its queued
     * bytes meanwhile; it is dropped only if the session closes first. The outbound limit judges it as it judges a
     * topic's message held so: not by the session's fragments still on their way to its event loop, and they are
     * not judged by it either, whichever of the two is counted first (so such a session may queue up to twice its
     * limit, see {@link Session}). The session's own whole-message send amid its fragments ({@link Session#send},
     * {@link Session#sendText}) fails instead, as the caller's mistake.
     *
     * <p>To keep one slow member from holding memory without dropping healthy ones, rely on the outbound limit
     * rather than on {@link Session#isWritable()}: a burst of messages sent within one turn of an event loop can
     * make even a fast reader's session unwritable for a moment, since the loop writes only after the burst. A
     * session over its limit is skipped here (and closed with 1008 under {@link OutboundLimitPolicy#CLOSE}); those
     * under it queue the message and catch up.
     *
     * @param sessions the recipients, of this server or any other
     * @param message the message
     * @return how many sessions queued the message, and which were skipped and why
     */
    public static BroadcastResult broadcast(Collection<? extends Session> sessions, PreparedMessage message) {
        return ServerEngine.broadcast(sessions, message);
    }

    /**
     * Sends one text message to many sessions: {@code broadcast(sessions, PreparedMessage.text(text))}.
     *
     * @param sessions the recipients
     * @param text the message
     * @return how many sessions queued the message, and which were skipped and why
     * @throws IllegalArgumentException if the text holds an unpaired surrogate, which UTF-8 cannot carry; nothing
     *     is sent
     */
    public static BroadcastResult broadcast(Collection<? extends Session> sessions, String text) {
        return broadcast(sessions, PreparedMessage.text(text));
    }

    /** @return what the server holds right now; all zero before it starts and once it is closed */
    public ServerStats stats() {
        return engine.stats();
    }

    /**
     * Shuts down gracefully: stops accepting, sends 1001 (going away) to every open session, waits up to
     * {@code timeout} for their closing handshakes, then closes whatever is left as {@link #close()} does. An
     * upgrade still waiting for its {@link UpgradeHook}'s decision is answered with 503 (the decision, when it
     * comes, is ignored), a plain HTTP answer under way is finished, and a request not read whole is dropped.
     *
     * @param timeout how long to wait for sessions to close
     * @return whether every session closed within the timeout
     * @throws IllegalStateException if called on one of this server's event loops (from a callback that runs
     *     there), which the call would wait for; call it from another thread
     */
    public boolean shutdown(Duration timeout) {
        return engine.shutdown(SessionSettings.notNegative("timeout", timeout).toNanos());
    }

    /**
     * Stops now: closes the listening socket and every connection without a closing handshake
     * ({@link Listener#onClose} is called with 1006), then stops the event loop threads. It waits a bounded time for
     * each thread to finish; a loop thread stuck in a blocking callback ends when the callback returns. Idempotent;
     * may be called from a callback.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Configures a {@link Server}. Not thread-safe. */
    public static final class Builder extends SessionSettings<Builder> {
        private String host;
        private int port;
        private final Router routes = new Router();
        private OriginPolicy origins = OriginPolicy.any();
        private SSLContext tls;
        private Consumer<SSLParameters> tlsParameters;
        private int eventLoops = Runtime.getRuntime().availableProcessors();
        private HttpHandler httpHandler = HttpHandler.notFound();
        private UpgradeHook upgradeHook;
        private MessageBudget messageBudget;

        private Builder() {
        }

        /**
         * The address to listen on. An IPv4 address listens on IPv4 only: {@code 0.0.0.0} on every IPv4 interface,
         * without IPv6. An IPv6 address listens on IPv6, and {@code ::} on every interface, IPv4 and IPv6. A host
         * name listens on the first address it resolves to. Without this, the server listens on every interface,
         * IPv4 and IPv6 (IPv4 only where the JVM has no IPv6).
         *
         * @param host the address or host name to listen on
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the TCP port, or 0 (the default) for a free one, which {@link Server#port()} reports
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Routes WebSocket upgrades whose path (the request target without its query) matches a pattern to a
         * listener. A pattern is made of segments between {@code /}:
         * <ul>
         *   <li>a literal, e.g. {@code /chat}, matched against the percent-decoded request segment;</li>
         *   <li>a parameter, e.g. {@code /rooms/{name}}, which matches any one non-empty segment and is read with
         *       {@link Session#pathParam(String) session.pathParam("name")}, percent-decoded;</li>
         *   <li>a last segment {@code *}, e.g. {@code /static/*}, which matches {@code /static} and every path
         *       under {@code /static/}; the rest of the path is {@code session.pathParam("*")}.</li>
         * </ul>
         * <p>When several patterns match, the most specific wins, whatever order they were added in:
         * <ol>
         *   <li>a pattern without {@code *} wins over one with it;</li>
         *   <li>between two with {@code *}, the one with more segments before it wins;</li>
         *   <li>otherwise, at the first segment where one pattern has a literal and the other a parameter, the
         *       literal wins: {@code /rooms/lobby} over {@code /rooms/{name}}, and {@code /a/{x}} over
         *       {@code /{y}/b} for {@code /a/b}.</li>
         * </ol>
         * A path that no pattern matches goes to the {@linkplain #fallback fallback}, or is answered with 404. A
         * path or query that is not valid percent-encoded UTF-8 is answered with 400, and so is a path with a
         * {@code .} or {@code ..} segment, sent as is or percent-encoded (it names another path, RFC 3986
         * §5.2.4), or whose rest under a {@code *} pattern holds an encoded {@code /} ({@code %2F}, which the rest
         * could not tell from a segment boundary; in a {@code {name}} segment it is kept, decoded). Any other UTF-8
         * decodes as it is, control characters ({@code %00}, {@code %0A}) included: check a parameter before using
         * it as a file name or writing it to a log. Matching is exact and case-sensitive: a trailing {@code /} is an
         * empty last segment, so {@code /chat/} is not {@code /chat} and no {@code {name}} matches it, but
         * {@code /static/*} matches {@code /static/} with an empty rest.
         *
         * @param pattern starts with {@code /}; segments are non-empty (no {@code //}, no trailing {@code /} but in
         *     {@code /} itself); literals are not {@code .} or {@code ..} and hold no {@code %}, {@code ?},
         *     {@code #}, {@code *}, braces,
         *     space or control character (write them decoded); parameter names are letters, digits
         *     and {@code _}, each used once
         * @param listener the listener of every session opened through this route
         * @return this builder
         * @throws IllegalArgumentException naming what is wrong, if the pattern cannot be parsed or matches the
         *     same paths as a pattern routed already (such as {@code /rooms/{id}} after {@code /rooms/{name}})
         */
        public Builder route(String pattern, Listener listener) {
            routes.add(pattern, null, listener);
            return this;
        }

        /**
         * Routes as {@link #route(String, Listener)} does, with a hook that decides about each upgrade on this route
         * before it is answered: to authenticate it, say. See {@link UpgradeHook}.
         *
         * @param pattern the route pattern
         * @param hook runs after the server-wide hook, if that accepts
         * @param listener the listener of every session opened through this route
         * @return this builder
         * @throws IllegalArgumentException as {@link #route(String, Listener)} does
         */
        public Builder route(String pattern, UpgradeHook hook, Listener listener) {
            routes.add(pattern, Objects.requireNonNull(hook, "hook"), listener);
            return this;
        }

        /**
         * @param hook decides about every upgrade, on any route, before the route's own hook; default none
         * @return this builder
         */
        public Builder upgradeHook(UpgradeHook hook) {
            this.upgradeHook = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * @param listener serves the upgrades whose path no route matches; default none, so they get 404
         * @return this builder
         */
        public Builder fallback(Listener listener) {
            routes.fallback(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Allows only these browser origins to connect (RFC 6455 §10.2); others are answered with 403. Requests
         * without {@code Origin} (non-browser clients) are allowed. Default: every origin.
         *
         * @param origins e.g. {@code https://example.com}, {@code http://localhost:8080}
         * @return this builder
         * @throws IllegalArgumentException if an entry is not written as an origin, or names its scheme's default
         *     port, which no browser sends (see {@link OriginPolicy#allowList})
         */
        public Builder allowedOrigins(Collection<String> origins) {
            this.origins = OriginPolicy.allowList(origins);
            return this;
        }

        /**
         * @param policy decides which origins may connect; default {@link OriginPolicy#any()}. It runs on an event
         *     loop; one that throws is logged and the client answered with 500, as for a failing {@link UpgradeHook}
         * @return this builder
         */
        public Builder originPolicy(OriginPolicy policy) {
            this.origins = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Serves TLS (wss://) with this context's key material; TLS 1.2 and 1.3 as the context allows.
         *
         * @param context the server's SSL context, or null for plain TCP (the default)
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            this.tls = context;
            return this;
        }

        /**
         * Adjusts the TLS parameters of each connection, before its handshake: what an {@link SSLContext} alone
         * cannot say, such as asking for client certificates (mutual TLS, {@link SSLParameters#setNeedClientAuth}),
         * the protocols and cipher suites allowed, or {@link javax.net.ssl.SNIMatcher}s for the names served. A
         * client certificate, once verified by the context's trust managers, is in
         * {@link UpgradeRequest#sslSession()} for the upgrade hook to authorize. Called on an event loop for every
         * TLS connection: keep it quick. Has no effect without {@link #tls}.
         *
         * @param customizer called with each connection's parameters, which it changes in place
         * @return this builder
         */
        public Builder tlsParameters(Consumer<SSLParameters> customizer) {
            this.tlsParameters = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * @param count the number of event loops, each one selector thread; default the number of processors
         * @return this builder
         */
        public Builder eventLoops(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("eventLoops must be at least 1, was " + count);
            }
            this.eventLoops = count;
            return this;
        }

        /**
         * @param handler answers requests that are not WebSocket upgrades; default {@link HttpHandler#notFound()}
         * @return this builder
         */
        public Builder httpHandler(HttpHandler handler) {
            this.httpHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Bounds the memory that messages still being received may hold, summed over all the server's connections
         * (a message's array, after decompression, as it grows), with the whole messages that wait for a callback to
         * take them (callbacks on an executor that is behind, or a suspended session). The connection whose message
         * would take the sum past the budget is failed with 1009 (message too big): its message is too big for the
         * server to process now. With {@link #incompleteMessageTimeout}, this keeps peers that start large messages and
         * never finish them from holding the heap.
         *
         * @param budget the budget, which several servers may share; default a budget of its own of a quarter of
         *     the maximum heap ({@link MessageBudget#quarterOfHeap()})
         * @return this builder
         */
        public Builder messageBudget(MessageBudget budget) {
            this.messageBudget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * @return a server with these settings, not yet started
         * @throws IllegalArgumentException if a subprotocol is not a token or repeats
         */
        public Server build() {
            InetSocketAddress bind = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
            ProtocolFamily family = host == null ? null : familyOf(bind);
            ServerHandshake handshake = new ServerHandshake(sessionOptions().subprotocols(),
                    sessionOptions().extensions(), origins);
            return new Server(new ServerSpec(bind, family, tls, tlsParameters, eventLoops, routes.snapshot(),
                    handshake, httpHandler, upgradeHook, sessionOptions(),
                    messageBudget != null ? messageBudget : MessageBudget.quarterOfHeap()));
        }

        /**
         * The JVM's default socket is IPv6 and would take {@code 0.0.0.0} as {@code ::}, accepting IPv6 too: an IPv4
         * address given gets an IPv4 socket, so that it means IPv4 only.
         *
         * @param bind the address given
         * @return the protocol family of the listening socket for an address given, or null for the JVM's default
         */
        static ProtocolFamily familyOf(InetSocketAddress bind) {
            return bind.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : null;
        }
    }
}
