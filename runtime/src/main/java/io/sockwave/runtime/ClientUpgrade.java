package io.sockwave.runtime;

import io.sockwave.Listener;
import io.sockwave.Proxy;
import io.sockwave.Session;
import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.FrameAllocator;
import io.sockwave.protocol.MaskKeySource;
import io.sockwave.protocol.MessageBudget;
import io.sockwave.protocol.Role;
import io.sockwave.protocol.handshake.ClientHandshake;
import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.protocol.handshake.HttpHeadParser;
import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpResponse;
import io.sockwave.protocol.handshake.RedactedUrl;
import io.sockwave.protocol.handshake.ReferenceResolution;
import io.sockwave.Client;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The client's side of a connection until the opening handshake is done: sends the request once connected, reads
 * the response, has the protocol core check it (RFC 6455 §4.1), follows a redirect when allowed, and switches to
 * {@link Framing}. Any failure completes the connect future exceptionally and closes the socket.
 */
final class ClientUpgrade implements Phase {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Header fields that carry the user's credentials: never sent to another origin than the one they were for. */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie");
    /**
     * Sent straight to the server, without a proxy, {@code Proxy-Authorization} goes to the origin like the other
     * credentials; through a proxy it is the proxy's, and {@link ClientEngine} keeps it while the proxy stays.
     */
    private static final Set<String> DIRECT_CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");
    /** Interim (1xx) responses read past before the final one: a few hints are usual, a stream of them is not. */
    static final int MAX_INTERIM_RESPONSES = 16;

    private final ChannelDriver driver;
    private final ClientEngine client;
    private final URI uri;
    private final ClientSpec spec;
    private final Listener listener;
    private final CompletableFuture<Session> result;
    private final ClientEngine.Chain chain;
    private final ClientHandshake handshake;
    private final ByteBuffer request;
    /** Connects to the host's next address if this one fails before the TCP connection is made; null if none. */
    private final Runnable fallback;
    private HttpHeadParser parser;
    /** A response that refused the upgrade, whose body is being read; null otherwise. */
    private Refusal refusal;
    private long deadline;
    private boolean connected;
    private int interims;
    private boolean handedOver;

    /**
     * @param chain what this hop shares with the others of the connect: redirects left, the opening's deadline, and
     *     this hop's proxy
     * @param connectDeadline when the TCP connection must be established, in {@link System#nanoTime()} units: the
     *     connect timeout counted from the call to connect, so that it covers looking the host up too
     * @param fallback tries the host's next address when this one cannot be reached; null if there is none
     */
    ClientUpgrade(ChannelDriver driver, ClientEngine client, URI uri, ClientSpec spec, Listener listener,
                  CompletableFuture<Session> result, ClientEngine.Chain chain, ClientHandshake handshake,
                  long connectDeadline, Runnable fallback) {
        this.driver = driver;
        this.client = client;
        this.uri = uri;
        this.spec = spec;
        this.listener = listener;
        this.result = result;
        this.chain = chain;
        this.handshake = handshake;
        this.request = handshake.request();
        this.fallback = fallback;
        this.parser = HttpHeadParser.responses(spec.session().limits());
        this.deadline = connectDeadline;
        driver.wakeBy(deadline);
        driver.send(request.duplicate(), null);
    }

    @Override
    public void onConnected() {
        connected = true;
        deadline = chain.bound(driver.loop.now() + spec.session().handshakeNanos());
        driver.wakeBy(deadline);
    }

    @Override
    public void onData(ByteBuffer in) {
        if (refusal != null) {
            refusal.read(in);
            return;
        }
        HttpResponse response;
        try {
            while (true) {
                if (!parser.parse(in)) {
                    return;
                }
                response = parser.response();
                if (response.status() == 101 || response.status() >= 200) {
                    break;
                }
                // An interim response (103 Early Hints, say) may come ahead of the final one, which a client reads
                // on past it (RFC 9110 §15.2); a server that sends nothing else is cut off.
                if (++interims > MAX_INTERIM_RESPONSES) {
                    fail(new HandshakeException(response.status(), "more than " + MAX_INTERIM_RESPONSES
                            + " interim responses before the answer to the upgrade"));
                    return;
                }
                parser.reset();
            }
        } catch (HandshakeException e) {
            fail(e);
            return;
        }
        parser = null;
        String location = response.headers().first("Location");
        if (REDIRECTS.contains(response.status()) && location != null && chain.redirectsLeft() > 0) {
            // Location is a singleton (RFC 9110 §10.2.2): fields that disagree leave no target to follow, and may be
            // a response split by an injected header.
            List<String> locations = response.headers().all("Location").stream().map(String::trim).distinct()
                    .toList();
            if (locations.size() > 1) {
                fail(new HandshakeException(response.status(), "conflicting Location fields: "
                        + String.join(", ", locations)));
                return;
            }
            redirect(response.status(), location);
            return;
        }
        ClientHandshake.Accepted accepted;
        try {
            accepted = handshake.verify(response);
        } catch (HandshakeException e) {
            if (response.status() == 101) {
                fail(e);
            } else {
                refusal = new Refusal(response, e.getMessage());
                refusal.read(in);
            }
            return;
        } catch (IllegalStateException e) {
            // An extension factory failed. The connection is not established yet, so failing it is closing the TCP
            // connection, with no Close frame (RFC 6455 §4.1, §7.1.7; RFC 7692 §5).
            fail(new IOException(e.getMessage(), e.getCause()));
            return;
        }
        open(accepted, response.headers(), in);
    }

    private void open(ClientHandshake.Accepted accepted, HttpHeaders responseHeaders, ByteBuffer leftover) {
        SessionOptions options = spec.session();
        // A client masks what it sends, which is several times faster in a heap array than in a direct buffer; so
        // its frames stay on the heap, and are gathered into the loop's write buffer like small frames.
        ConnectionConfig config = new ConnectionConfig(Role.CLIENT, options.limits(), accepted.extensions(),
                options.autoPong(), options.streaming(), MaskKeySource.secure(), FrameAllocator.HEAP,
                MessageBudget.unlimited(), driver.loop.arrays, options.lendBinary());
        Connection connection = new Connection(config);
        // From the handshake, not parsed back from the request: the limits bound what this end reads, and the
        // request may exceed them (a large cookie or token).
        WebSocketSession session = new WebSocketSession(driver, listener, handshake.target(), handshake.headers(),
                accepted.subprotocol(), client.sessionIds(), Map.of());
        Framing framing = new Framing(driver, session, connection);
        session.attach(framing);
        handedOver = true;
        framing.open(() -> {
            if (!result.complete(session)) {
                // The caller gave up (cancelled, or timed the future out): it will never use this session.
                session.abort();
            }
        }, leftover);
    }

    private void redirect(int status, String location) {
        URI next;
        try {
            next = redirectTarget(uri, location);
        } catch (IllegalArgumentException e) {
            // The server wrote it: a password it put there is shown no more than the caller's own.
            fail(new HandshakeException(status, "invalid redirect Location: " + RedactedUrl.of(location)));
            return;
        }
        if (isDowngrade(uri, next)) {
            // The caller asked for TLS: its messages, not only its credentials, are not for the clear.
            fail(new HandshakeException(status, "refused to follow a redirect from wss to ws: "
                    + RedactedUrl.of(next.toString())));
            return;
        }
        handedOver = true;
        driver.terminate(null);
        // Stripped once, stripped for good: a later redirect back to the first origin does not restore them.
        boolean direct = chain.proxy().type() == Proxy.Type.DIRECT;
        ClientSpec nextSpec = sameOrigin(uri, next) ? spec
                : spec.withHeaders(withoutCredentials(spec.headers(), direct ? DIRECT_CREDENTIALS : CREDENTIALS));
        client.connect(next, nextSpec, listener, result, chain.redirected());
    }

    /**
     * A field value holds each byte it was sent as one character (ISO-8859-1), and a server may put UTF-8 in its
     * Location, beyond what a URI reference allows: each such byte goes percent-encoded (RFC 3986 §2.1), as curl
     * sends it, where {@link URI} would encode the UTF-8 of the character instead, two bytes for one.
     */
    private static String escapeObsText(String location) {
        StringBuilder escaped = new StringBuilder(location.length());
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (c >= 0x80) {
                escaped.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** @return whether following {@code from} to {@code to} would leave TLS */
    static boolean isDowngrade(URI from, URI to) {
        return from.getScheme().equalsIgnoreCase("wss") && !to.getScheme().equalsIgnoreCase("wss");
    }

    /**
     * Whether two URIs share an origin (RFC 6454 §5: scheme, host and port), so that credentials meant for one may
     * go to the other.
     */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("wss") ? 443 : 80;
    }

    /** @return a copy without the fields named, in lower case, in {@code credentials} */
    static HttpHeaders withoutCredentials(HttpHeaders headers, Set<String> credentials) {
        HttpHeaders kept = new HttpHeaders();
        headers.forEach((name, value) -> {
            if (!credentials.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                kept.add(name, value);
            }
        });
        return kept;
    }

    /** Resolves a Location against the current URI (RFC 3986 §5.2), mapping http to ws and https to wss. */
    static URI redirectTarget(URI current, String location) {
        URI resolved = ReferenceResolution.resolve(current, URI.create(escapeObsText(location.trim())));
        String scheme = resolved.getScheme().toLowerCase(java.util.Locale.ROOT);
        String mapped = switch (scheme) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("unsupported scheme " + scheme);
        };
        if (resolved.getRawAuthority() == null || resolved.getHost() == null) {
            throw new IllegalArgumentException("no host in " + resolved);
        }
        // Built from the raw components, which are already percent-encoded: URI's multi-argument constructors would
        // quote each '%' again (RFC 3986 §2.4: never encode the same string twice).
        String path = resolved.getRawPath() == null || resolved.getRawPath().isEmpty() ? "/" : resolved.getRawPath();
        String query = resolved.getRawQuery() == null ? "" : "?" + resolved.getRawQuery();
        return URI.create(mapped + "://" + resolved.getRawAuthority() + path + query);
    }

    private void fail(Throwable error) {
        driver.terminate(error);
    }

    @Override
    public void goingAway() {
        // Failed first, so that the shutdown is the reason given, rather than an address or proxy out of reach.
        result.completeExceptionally(new IOException(ClientEngine.SHUTTING_DOWN));
        driver.terminate(null);
    }

    @Override
    public void onEof() {
        if (refusal != null) {
            refusal.end();
            return;
        }
        fail(new IOException("the server closed the connection during the opening handshake"));
    }

    @Override
    public long onTimer(long now) {
        if (TimerNode.reached(now, deadline) && refusal != null) {
            refusal.end();
            return Long.MAX_VALUE;
        }
        if (TimerNode.reached(now, deadline)) {
            fail(chain.followed() > 0 && chain.bounds(deadline)
                    ? new TimeoutException("opening not completed within the connect and handshake timeouts ("
                            + Durations.readable(spec.connectNanos() + spec.session().handshakeNanos()) + "), "
                            + chain.followed() + (chain.followed() == 1 ? " redirect" : " redirects") + " followed")
                    : connected
                    ? new TimeoutException("opening handshake not completed within "
                            + Durations.readable(spec.session().handshakeNanos()))
                    : new TimeoutException("connection to " + uri.getHost() + " not established within "
                            + Durations.readable(spec.connectNanos())));
            return Long.MAX_VALUE;
        }
        return deadline;
    }

    /**
     * A response other than 101: its body is read, up to {@link Client#MAX_REFUSAL_BODY} bytes, its
     * {@code Content-Length} or the end of its chunked coding, so that the exception can carry the start of it. A
     * status that has no body (204, 304, RFC 9110 §6.4.1) ends at its head.
     */
    private final class Refusal {
        private final HttpResponse head;
        private final String message;
        private final int wanted;
        private final ChunkedBody chunked;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Refusal(HttpResponse head, String message) {
            this.head = head;
            this.message = message;
            HttpHeaders headers = head.headers();
            boolean bodiless = head.status() == 204 || head.status() == 304;
            this.chunked = !bodiless && headers.containsToken("Transfer-Encoding", "chunked")
                    ? new ChunkedBody(Client.MAX_REFUSAL_BODY) : null;
            this.wanted = bodiless ? 0 : (int) Math.min(Client.MAX_REFUSAL_BODY, declaredLength(headers));
        }

        /** @return the Content-Length, or the most a body may have when it is absent or invalid */
        private static long declaredLength(HttpHeaders headers) {
            String length = headers.count("Content-Length") == 1 ? headers.first("Content-Length") : null;
            boolean digits = length != null && !length.isEmpty() && length.length() <= 18
                    && length.chars().allMatch(c -> c >= '0' && c <= '9');
            if (!digits) {
                return Long.MAX_VALUE;
            }
            return Long.parseLong(length);
        }

        void read(ByteBuffer in) {
            if (chunked != null) {
                if (chunked.read(in)) {
                    end();
                }
                return;
            }
            byte[] chunk = new byte[Math.min(in.remaining(), wanted - body.size())];
            in.get(chunk);
            body.writeBytes(chunk);
            in.position(in.limit());
            if (body.size() >= wanted) {
                end();
            }
        }

        void end() {
            byte[] bytes = chunked != null ? chunked.bytes() : body.toByteArray();
            fail(new HandshakeException(head.status(), message, head.headers(), bytes));
        }
    }

    @Override
    public void onEnd(Throwable cause) {
        parser = null;
        if (!handedOver && !connected && fallback != null && cause instanceof IOException && !result.isDone()) {
            // Refused or unreachable: the host's next address may answer, within the same connect deadline.
            driver.loop.execute(fallback);
            return;
        }
        if (!handedOver) {
            result.completeExceptionally(cause != null ? cause
                    : new IOException("the connection closed during the opening handshake"));
        }
    }
}
