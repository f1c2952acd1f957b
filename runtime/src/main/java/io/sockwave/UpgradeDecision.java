package io.sockwave;

import io.sockwave.protocol.extension.HttpTokens;
import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an {@link UpgradeHook} decided: accept the upgrade, or refuse it with a response. Immutable: each
 * {@code with...} method returns a new decision.
 *
 * <pre>{@code
 * UpgradeDecision.reject(401, "a token is required").withHeader("WWW-Authenticate", "Bearer realm=\"chat\"")
 * UpgradeDecision.reject(429, "slow down").withHeader("Retry-After", "30")
 * UpgradeDecision.redirect(307, "wss://other.example/chat")
 * UpgradeDecision.accept().withHeader("Set-Cookie", "sid=abc; HttpOnly").withAttribute(USER, "alice")
 * }</pre>
 *
 * A refusal is answered as given, with {@code Connection: close} added, and the connection is then closed.
 */
public final class UpgradeDecision {
    /** Fields the handshake writes itself: set them here and the 101 would contradict it (RFC 6455 §4.2.2). */
    private static final Set<String> HANDSHAKE_FIELDS = Set.of("upgrade", "connection", "sec-websocket-accept",
            "sec-websocket-protocol", "sec-websocket-extensions", "sec-websocket-version");
    /** Fields that frame the body, which the server computes from the body itself. */
    private static final Set<String> FRAMING_FIELDS = Set.of("content-length", "transfer-encoding");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final UpgradeDecision ACCEPT = new UpgradeDecision(null, new HttpHeaders(), null, Map.of());

    private final HttpResponse refusal;
    private final HttpHeaders headers;
    private final String subprotocol;
    private final Map<AttributeKey<?>, Object> attributes;

    private UpgradeDecision(HttpResponse refusal, HttpHeaders headers, String subprotocol,
                            Map<AttributeKey<?>, Object> attributes) {
        this.refusal = refusal;
        this.headers = headers;
        this.subprotocol = subprotocol;
        this.attributes = attributes;
    }

    /** @return a decision to accept the upgrade, as the handshake negotiated it */
    public static UpgradeDecision accept() {
        return ACCEPT;
    }

    /**
     * A refusal with the status's standard reason phrase and the message as its body, {@code text/plain;
     * charset=utf-8}: the message's UTF-8 bytes and a line feed. The message goes nowhere else, so no part of it can
     * reach the status line or a header. It is kept on one line: a control character (CR and LF among them; a tab
     * stays) or a lone surrogate, which UTF-8 cannot carry, is written as a <code>&#92;uXXXX</code> escape, so that
     * a message quoting the request (a room's name, say) says exactly what it quoted.
     *
     * @param status the status to answer with, 400 to 599
     * @param message one line for the body, at most {@value Client#MAX_REFUSAL_BODY} bytes in UTF-8 with its
     *     escapes and line feed, so that a Sockwave client receives all of it
     * @return a refusal
     * @throws IllegalArgumentException if the status is not 400 to 599, or the message is longer
     * @throws NullPointerException if the message is null
     */
    public static UpgradeDecision reject(int status, String message) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: a refusal's status is 400 to 599, was " + status
                    + "; use redirect(...) or reject(HttpResponse)");
        }
        String line = oneLine(Objects.requireNonNull(message, "message"));
        int bytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
        if (bytes > Client.MAX_REFUSAL_BODY) {
            throw new IllegalArgumentException("message: " + bytes + " bytes of body in UTF-8, over the "
                    + Client.MAX_REFUSAL_BODY + " a refusal's message may take");
        }
        return reject(HttpResponse.error(status, line));
    }

    /**
     * @param response the whole answer: status 200 to 599 (a page instead of the WebSocket, say), headers and
     *     body; {@code Content-Length} is computed
     * @return a refusal
     * @throws IllegalArgumentException if the status is below 200, or the headers set {@code Content-Length} or
     *     {@code Transfer-Encoding}
     */
    public static UpgradeDecision reject(HttpResponse response) {
        if (response.status() < 200 || response.status() > 599) {
            throw new IllegalArgumentException("a refusal's status is 200 to 599, was " + response.status());
        }
        response.headers().forEach((name, value) -> checkFraming(name));
        return new UpgradeDecision(copy(response), new HttpHeaders(), null, Map.of());
    }

    /**
     * @param status 301, 302, 303, 307 or 308
     * @param location where the client should go, e.g. {@code wss://example.com/chat}
     * @return a refusal that redirects
     * @throws IllegalArgumentException if the status is not a redirect, or the location cannot be a header value
     *     (a CR, LF or other control character)
     * @throws NullPointerException if the location is null
     */
    public static UpgradeDecision redirect(int status, String location) {
        Objects.requireNonNull(location, "location");
        if (!REDIRECTS.contains(status)) {
            throw new IllegalArgumentException("a redirect's status is 301, 302, 303, 307 or 308, was " + status);
        }
        HttpResponse response = HttpResponse.error(status, "moved to " + location);
        response.headers().add("Location", location);
        return new UpgradeDecision(response, new HttpHeaders(), null, Map.of());
    }

    /**
     * @param name a header name; on an acceptance, not one the handshake sets (Upgrade, Connection,
     *     Sec-WebSocket-*), and never {@code Content-Length} or {@code Transfer-Encoding}. A refusal always closes
     *     the connection: its {@code Connection} options go out in one field ending in {@code close}, without
     *     {@code keep-alive} (RFC 9112 §9.6), and a {@code Keep-Alive} field is not sent
     * @param value its value
     * @return a decision that also sends this header: in the 101, or in the refusal
     * @throws IllegalArgumentException if the name is one of those, or not a valid header field
     * @throws NullPointerException if the name or value is null
     */
    public UpgradeDecision withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        checkFraming(name);
        if (refusal == null && HANDSHAKE_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " is set by the handshake itself"
                    + (name.equalsIgnoreCase("Sec-WebSocket-Protocol") ? "; use withSubprotocol" : ""));
        }
        if (refusal != null) {
            HttpResponse response = copy(refusal);
            response.headers().add(name, value);
            return new UpgradeDecision(response, headers, null, attributes);
        }
        HttpHeaders more = copy(headers).add(name, value);
        return new UpgradeDecision(null, more, subprotocol, attributes);
    }

    /**
     * @param chosen the subprotocol to agree on, which must be one the client offered
     *     ({@link UpgradeRequest#subprotocols()}), overriding the server's own choice; the server answers 500 if the
     *     client did not offer it
     * @return an acceptance with this subprotocol
     * @throws IllegalStateException on a refusal
     * @throws IllegalArgumentException if the name is not a token (RFC 6455 §4.1)
     */
    public UpgradeDecision withSubprotocol(String chosen) {
        requireAcceptance("a subprotocol goes");
        if (!HttpTokens.isToken(Objects.requireNonNull(chosen, "chosen"))) {
            throw new IllegalArgumentException("a subprotocol is a token: " + chosen);
        }
        return new UpgradeDecision(null, headers, chosen, attributes);
    }

    /**
     * @param key an attribute key
     * @param value the attribute's value on the new session, before {@link Listener#onOpen}; not null (an
     *     attribute not set is already absent)
     * @param <T> the type of the value
     * @return an acceptance that also sets this attribute
     * @throws IllegalStateException on a refusal
     * @throws NullPointerException if the key or value is null
     */
    public <T> UpgradeDecision withAttribute(AttributeKey<T> key, T value) {
        Objects.requireNonNull(key, "key");
        requireAcceptance("attributes go");
        Map<AttributeKey<?>, Object> more = new LinkedHashMap<>(attributes);
        more.put(key, key.type().cast(Objects.requireNonNull(value, "value")));
        return new UpgradeDecision(null, headers, subprotocol, Map.copyOf(more));
    }

    /** @return whether the upgrade goes ahead */
    public boolean isAccepted() {
        return refusal == null;
    }

    /** @return a copy of the response to refuse with; null for an acceptance */
    public HttpResponse refusal() {
        return refusal == null ? null : copy(refusal);
    }

    /** @return a copy of the headers an acceptance adds to the 101; empty for a refusal */
    public HttpHeaders headers() {
        return copy(headers);
    }

    /** @return the subprotocol an acceptance chose, or null to keep the server's choice */
    public String subprotocol() {
        return subprotocol;
    }

    /** @return the attributes an acceptance sets on the session; unmodifiable */
    public Map<AttributeKey<?>, Object> attributes() {
        return attributes;
    }

    /** @param what the subject and its verb, as in "attributes go" */
    private void requireAcceptance(String what) {
        if (refusal != null) {
            throw new IllegalStateException(what + " only with an acceptance, not with a " + refusal.status()
                    + " refusal");
        }
    }

    /** @return the message with each control character but tab, and each lone surrogate, escaped as Java writes it */
    private static String oneLine(String message) {
        StringBuilder line = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < message.length()
                    && Character.isLowSurrogate(message.charAt(i + 1))) {
                if (line != null) {
                    line.append(c).append(message.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean escaped = Character.isISOControl(c) && c != '\t' || Character.isSurrogate(c);
            if (escaped && line == null) {
                line = new StringBuilder(message.length() + 16).append(message, 0, i);
            }
            if (escaped) {
                line.append(String.format("\\u%04X", (int) c));
            } else if (line != null) {
                line.append(c);
            }
        }
        return line == null ? message : line.toString();
    }

    private static void checkFraming(String name) {
        if (FRAMING_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " is computed from the body");
        }
    }

    private static HttpHeaders copy(HttpHeaders headers) {
        HttpHeaders copy = new HttpHeaders();
        headers.forEach(copy::add);
        return copy;
    }

    private static HttpResponse copy(HttpResponse response) {
        return new HttpResponse(response.status(), response.reason(), copy(response.headers()), response.body());
    }

    @Override
    public String toString() {
        return refusal != null ? "refuse " + refusal.status()
                : "accept" + (subprotocol == null ? "" : " " + subprotocol);
    }
}
