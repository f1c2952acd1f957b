package io.sockwave.protocol.handshake;

import static io.sockwave.protocol.handshake.HandshakeException.excerpt;

import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.ExtensionOffer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1): writes the request and checks the server's response.
 * One instance serves one connection attempt, since it holds that attempt's random key. Immutable and
 * thread-safe.
 */
public final class ClientHandshake {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The largest TCP port. */
    private static final int MAX_PORT = 65535;

    /** Fields the handshake writes itself, or that would give the request a body; lower case. */
    private static final Set<String> RESERVED = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions", "sec-websocket-accept",
            "content-length", "transfer-encoding");

    private final String target;
    private final String host;
    private final HttpHeaders extraHeaders = new HttpHeaders();
    private final List<String> subprotocols;
    private final List<ExtensionFactory> extensions;
    private final String key;

    /**
     * @param uri the {@code ws} or {@code wss} URI to connect to (RFC 6455 §3); user information in it, such as
     *     {@code ws://alice:secret@host/}, is sent as {@code Authorization: Basic} (RFC 7617) unless
     *     {@code extraHeaders} has an {@code Authorization} field
     * @param extraHeaders further fields to send, such as {@code Origin}, {@code Cookie} or {@code Authorization};
     *     copied
     * @param subprotocols the subprotocols to offer, most preferred first; may be empty
     * @param extensions the extensions to offer, most preferred first, each negotiated by its factory
     * @throws IllegalArgumentException if the URI is not an absolute ws/wss URI with a host, a port no larger than
     *     65535 and no fragment, an extra header is one the handshake writes itself (such as
     *     {@code Sec-WebSocket-Key}) or would announce a body, the URI's user information is not valid Basic
     *     credentials ({@link BasicCredentials}), a subprotocol is not a token or repeats, or two factories share a
     *     name; a message that shows the URI leaves its password out
     * @throws NullPointerException if an argument or element is null
     */
    public ClientHandshake(URI uri, HttpHeaders extraHeaders, List<String> subprotocols,
            List<ExtensionFactory> extensions) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("not a ws or wss URI: " + RedactedUrl.of(uri.toString()));
        }
        if (uri.isOpaque() || uri.getHost() == null) {
            throw new IllegalArgumentException(noHost(uri));
        }
        // Refused here, not left to the connect: a socket address takes no such port, so every try would fail
        // alike, and a proxy would be asked for it (RFC 3986 §3.2.3 allows any digits; TCP ports end at 65535).
        if (uri.getPort() > MAX_PORT) {
            throw new IllegalArgumentException("URI port " + uri.getPort() + " is past " + MAX_PORT
                    + ", the largest TCP port: " + RedactedUrl.of(uri.toString()));
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a WebSocket URI has no fragment (RFC 6455 §3): "
                    + RedactedUrl.of(uri.toString()));
        }
        // A URI may hold characters beyond ASCII in its path and query, which a request line cannot carry: they go
        // as their UTF-8 bytes percent-encoded (RFC 3986 §2.5), as a browser sends them.
        URI ascii = URI.create(uri.toASCIIString());
        // Dot segments go as an absolute reference's do (RFC 3986 §5.2.2), as browsers and curl send them: servers
        // may refuse them (Sockwave's does, with 400) rather than guess which resource they name.
        String raw = ascii.getRawPath() == null ? "" : ReferenceResolution.removeDotSegments(ascii.getRawPath());
        String path = raw.isEmpty() ? "/" : raw;
        this.target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        // URI.getHost() keeps an IPv6 literal in brackets, as the Host header wants it (RFC 7230 §5.4), and its zone,
        // which names an interface of this host and is never sent (RFC 6874 §4).
        String literal = uri.getHost();
        int zone = literal.startsWith("[") ? literal.indexOf('%') : -1;
        String hostName = zone < 0 ? literal : literal.substring(0, zone) + "]";
        boolean defaultPort = uri.getPort() < 0 || uri.getPort() == (scheme.equals("ws") ? 80 : 443);
        this.host = defaultPort ? hostName : hostName + ":" + uri.getPort();
        extraHeaders.forEach((name, value) -> {
            if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " is written by the handshake itself");
            }
            this.extraHeaders.add(name, value);
        });
        // Credentials in the URI go as Basic, as a browser's fetch, python-websockets and Node's ws send them,
        // unless an Authorization field was set, which says what the application means.
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && this.extraHeaders.count("Authorization") == 0) {
            this.extraHeaders.add("Authorization", BasicCredentials.fromUserInfo(userInfo).headerValue());
        }
        this.subprotocols = Arguments.subprotocols(subprotocols);
        this.extensions = Arguments.extensionFactories(extensions);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * @return why a hierarchical URI has no host: none given ({@code ws:///path}), or an authority that is no host
     *     and port, which {@link URI} then keeps as a registry name: a port with other than digits or past
     *     {@link Integer#MAX_VALUE}, a name with characters a host name may not have ({@code ws://a_b/})
     */
    private static String noHost(URI uri) {
        String shown = RedactedUrl.of(uri.toString());
        String authority = uri.getRawAuthority();
        if (uri.isOpaque() || authority == null || authority.isEmpty()) {
            return "URI has no host: " + shown;
        }
        // The user information is left out: it may hold a password.
        String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
        return "URI has no usable host: '" + hostAndPort + "' is not a host name or IP literal with an optional"
                + " port of 0 to " + MAX_PORT + " (RFC 3986 §3.2.2, §3.2.3): " + shown;
    }

    /** @return the {@code Sec-WebSocket-Key} this attempt sends: base64 of 16 random bytes (§4.1 step 7) */
    public String key() {
        return key;
    }

    /** @return the request target {@link #request()} writes: the URI's path ({@code /} if empty) and query */
    public String target() {
        return target;
    }

    /**
     * @return the header fields {@link #request()} writes, in its order, as a new copy: the handshake's own
     *     fields, then the extra ones
     */
    public HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders()
                .add("Host", host)
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", key)
                .add("Sec-WebSocket-Version", ServerHandshake.VERSION);
        if (!subprotocols.isEmpty()) {
            headers.add("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
        }
        List<String> offers = new ArrayList<>();
        for (ExtensionFactory factory : extensions) {
            for (ExtensionOffer offer : factory.offers()) {
                offers.add(offer.toHeaderValue());
            }
        }
        if (!offers.isEmpty()) {
            headers.add("Sec-WebSocket-Extensions", String.join(", ", offers));
        }
        extraHeaders.forEach(headers::add);
        return headers;
    }

    /**
     * Writes the request of §4.1: {@code GET}, {@code Host}, {@code Upgrade}, {@code Connection},
     * {@code Sec-WebSocket-Key}, {@code Sec-WebSocket-Version}, the offered subprotocols and extensions, then the
     * extra headers.
     *
     * @return a new buffer holding the whole request head, positioned at 0
     */
    public ByteBuffer request() {
        StringBuilder head = new StringBuilder(256);
        head.append("GET ").append(target).append(" HTTP/1.1\r\n");
        headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        return ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Checks the server's response as §4.1 asks, after the request from {@link #request()}.
     *
     * @param response the response head
     * @return what the server chose; the caller owns the extensions and must close them if the connection does
     *     not go ahead
     * @throws HandshakeException saying exactly what is wrong: with the status received when it is not 101 (a
     *     redirect or authentication challenge, say), and with 101 when the 101 response breaks a rule
     * @throws IllegalStateException if an extension factory's {@link ExtensionFactory#accepted} fails otherwise than
     *     by refusing the server's terms: the message names the factory, the cause is its failure; the extensions
     *     accepted before it are closed
     */
    public Accepted verify(HttpResponse response) {
        HttpHeaders headers = response.headers();
        if (response.status() != 101) {
            throw new HandshakeException(response.status(), "server answered " + response.status()
                    + (response.reason().isEmpty() ? "" : " " + excerpt(response.reason()))
                    + ", not 101 Switching Protocols");
        }
        // §4.1: the value must match "websocket" itself, not merely list it (a server may only accept a list).
        List<String> upgrade = headers.tokens("Upgrade");
        if (upgrade.size() != 1 || !upgrade.get(0).equalsIgnoreCase("websocket")) {
            throw invalid(headers.count("Upgrade") == 0 ? "missing Upgrade header"
                    : "Upgrade header is not websocket: " + excerpt(String.join(", ", headers.all("Upgrade"))));
        }
        if (!headers.containsToken("Connection", "upgrade")) {
            throw invalid(headers.count("Connection") == 0 ? "missing Connection header"
                    : "Connection header does not list upgrade: "
                            + excerpt(String.join(", ", headers.all("Connection"))));
        }
        checkAccept(headers);
        String subprotocol = subprotocol(headers);
        return new Accepted(subprotocol, extensions(headers));
    }

    /** §4.1 response step 4 and §11.3.3: exactly one Sec-WebSocket-Accept, derived from our key. */
    private void checkAccept(HttpHeaders headers) {
        List<String> accepts = headers.all("Sec-WebSocket-Accept");
        if (accepts.isEmpty()) {
            throw invalid("missing Sec-WebSocket-Accept");
        }
        if (accepts.size() > 1) {
            throw invalid("duplicated Sec-WebSocket-Accept (" + accepts.size() + " fields)");
        }
        String expected = AcceptKey.derive(key);
        if (!accepts.get(0).trim().equals(expected)) {
            throw invalid("wrong Sec-WebSocket-Accept: expected " + expected + ", got " + excerpt(accepts.get(0)));
        }
    }

    /** §4.1 response step 6 and §11.3.4: at most one subprotocol, and one that was offered. */
    private String subprotocol(HttpHeaders headers) {
        int fields = headers.count("Sec-WebSocket-Protocol");
        if (fields == 0) {
            return null;
        }
        List<String> chosen = headers.tokens("Sec-WebSocket-Protocol");
        if (fields > 1 || chosen.size() != 1) {
            throw invalid("server must choose one subprotocol, but sent Sec-WebSocket-Protocol: "
                    + excerpt(String.join(", ", headers.all("Sec-WebSocket-Protocol"))));
        }
        String subprotocol = chosen.get(0);
        if (!subprotocols.contains(subprotocol)) {
            throw invalid("server chose subprotocol " + excerpt(subprotocol) + ", which was not offered"
                    + (subprotocols.isEmpty() ? "" : " (offered: " + String.join(", ", subprotocols) + ")"));
        }
        return subprotocol;
    }

    /** §4.1 response step 5 and §9.1: only offered extensions, each once, each approved by its factory. */
    private List<Extension> extensions(HttpHeaders headers) {
        List<ExtensionOffer> elements;
        try {
            elements = ExtensionHeaderParser.parse(headers.all("Sec-WebSocket-Extensions"));
        } catch (HandshakeException e) {
            throw invalid(e.getMessage());
        }
        List<Extension> accepted = new ArrayList<>(elements.size());
        int claimedRsv = 0;
        try {
            for (ExtensionOffer element : elements) {
                ExtensionFactory factory = Arguments.factoryNamed(extensions, element.name());
                if (factory == null || factory.offers().isEmpty()) {
                    throw invalid("server accepted extension " + element.name() + ", which was not offered");
                }
                for (Extension earlier : accepted) {
                    if (earlier.name().equalsIgnoreCase(element.name())) {
                        throw invalid("server accepted extension " + element.name() + " twice");
                    }
                }
                Extension extension;
                try {
                    extension = factory.accepted(element);
                } catch (IllegalArgumentException e) {
                    throw invalid("server's terms for extension " + element.name() + " are unacceptable: "
                            + e.getMessage());
                } catch (RuntimeException e) {
                    // A defect of the application's factory, not of the response: named, so that it can be found.
                    throw new IllegalStateException("extension factory " + factory.getClass().getName()
                            + " failed on the server's acceptance of " + element.name() + " ("
                            + excerpt(element.toHeaderValue()) + "): " + e, e);
                }
                accepted.add(extension);
                if ((extension.rsvBits() & claimedRsv) != 0) {
                    throw invalid("extension " + element.name() + " claims an RSV bit already in use");
                }
                claimedRsv |= extension.rsvBits();
            }
        } catch (RuntimeException e) {
            accepted.forEach(Extension::close);
            throw e;
        }
        return List.copyOf(accepted);
    }

    private static HandshakeException invalid(String reason) {
        return new HandshakeException(101, "invalid handshake response: " + reason);
    }

    /**
     * What the server accepted.
     *
     * @param subprotocol the subprotocol the server chose, or null when it chose none
     * @param extensions the extensions to run, in the order the server listed them, which is the order they
     *     process incoming data in
     */
    public record Accepted(String subprotocol, List<Extension> extensions) {
        /**
         * Creates the record, checking its components.
         *
         * @param subprotocol the subprotocol the server chose, or null when it chose none
         * @param extensions the extensions to run, in the order the server listed them, which is the order they
         *     process incoming data in
         * @throws NullPointerException if the extensions are null
         */
        public Accepted {
            extensions = List.copyOf(extensions);
        }
    }
}
