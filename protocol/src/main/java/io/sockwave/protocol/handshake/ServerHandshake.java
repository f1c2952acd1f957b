package io.sockwave.protocol.handshake;

import static io.sockwave.protocol.handshake.HandshakeException.excerpt;

import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.HttpTokens;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): checks a client's request and builds the 101 response
 * that accepts it, choosing a subprotocol and negotiating extensions. Immutable and thread-safe; one instance
 * serves every request to a route.
 */
public final class ServerHandshake {
    /** The only protocol version this implementation speaks (RFC 6455 §4.4). */
    static final String VERSION = "13";

    private final List<String> subprotocols;
    private final List<ExtensionFactory> extensions;
    private final OriginPolicy origins;

    /**
     * @param subprotocols the subprotocols this route speaks, most preferred first; may be empty
     * @param extensions the extensions this route can run, each negotiated by its factory
     * @param origins which browser origins may connect
     * @throws IllegalArgumentException if a subprotocol is not a token or repeats, or two factories share a name
     * @throws NullPointerException if an argument or element is null
     */
    public ServerHandshake(List<String> subprotocols, List<ExtensionFactory> extensions, OriginPolicy origins) {
        this.subprotocols = Arguments.subprotocols(subprotocols);
        this.extensions = Arguments.extensionFactories(extensions);
        this.origins = Objects.requireNonNull(origins, "origins");
    }

    /**
     * Tells a WebSocket handshake from a plain HTTP request, so that a server can serve both on one port.
     *
     * @param request a request head
     * @return whether its {@code Upgrade} header lists {@code websocket}, ignoring case, in an HTTP/1.1 or later
     *     request: a server must ignore the Upgrade header of an HTTP/1.0 request (RFC 9110 §7.8)
     */
    public static boolean isUpgradeRequest(HttpRequest request) {
        return !request.version().equals("HTTP/1.0") && request.headers().containsToken("Upgrade", "websocket");
    }

    /**
     * Checks the request against RFC 6455 §4.2.1 and builds the response of §4.2.2. Checks run in a fixed order
     * (method, HTTP version, Host, Upgrade, Connection, no body, WebSocket version, key, origin, subprotocols,
     * extensions), and the first failure decides the answer. The version comes before the key so that a client of
     * an older draft, which sends no {@code Sec-WebSocket-Key}, still learns which version to speak (§4.4). An
     * empty {@code Sec-WebSocket-Protocol} or {@code Sec-WebSocket-Extensions} offers nothing, as RFC 7230 §7 has
     * recipients skip empty list elements.
     *
     * @param request the client's request head
     * @return the 101 response to send and what was negotiated; the caller owns the extensions and must close them
     *     if the connection does not go ahead
     * @throws HandshakeException with the status to answer with: 405 for a method other than GET; 426 when
     *     {@code Sec-WebSocket-Version} is missing, repeated or not 13; 403 when the origin policy refuses the
     *     {@code Origin}; 400 for anything else the request gets wrong
     * @throws IllegalArgumentException if an extension negotiated a parameter that a header cannot carry (a control
     *     character such as CR or LF, or a character beyond U+00FF): a defect of that extension, whose instances
     *     are closed
     */
    public Accepted accept(HttpRequest request) {
        HttpHeaders headers = request.headers();
        checkRequestLine(request);
        checkHttpHeaders(headers);
        checkVersion(headers);
        String key = key(headers);
        checkOrigin(headers);
        String subprotocol = subprotocol(headers);
        List<ExtensionOffer> offers = ExtensionHeaderParser.parse(headers.all("Sec-WebSocket-Extensions"));
        List<Extension> negotiated = negotiate(offers);

        String extensionsHeader = null;
        if (!negotiated.isEmpty()) {
            List<String> elements = new ArrayList<>(negotiated.size());
            for (Extension extension : negotiated) {
                elements.add(extension.negotiated().toHeaderValue());
            }
            extensionsHeader = String.join(", ", elements);
            try {
                // What an extension negotiated is written as it is: nothing in it may end the header line.
                HttpHeaders.checkValue(Accepted.EXTENSIONS, extensionsHeader);
            } catch (IllegalArgumentException e) {
                negotiated.forEach(Extension::close);
                throw e;
            }
        }
        return new Accepted(key, subprotocol, extensionsHeader, negotiated);
    }

    /** §4.2.1 item 1: an HTTP/1.1 or higher GET request. */
    private static void checkRequestLine(HttpRequest request) {
        if (!request.method().equals("GET")) {
            throw new HandshakeException(405, "method " + excerpt(request.method())
                    + " is not allowed; a WebSocket handshake is a GET request");
        }
        String version = request.version();
        boolean wellFormed = version.length() == 8 && version.startsWith("HTTP/") && version.charAt(6) == '.'
                && isDigit(version.charAt(5)) && isDigit(version.charAt(7));
        if (!wellFormed) {
            throw new HandshakeException(400, "malformed HTTP version " + excerpt(version));
        }
        if (version.compareTo("HTTP/1.1") < 0) {
            throw new HandshakeException(400, "HTTP/1.1 or later required, got " + version);
        }
    }

    /** §4.2.1 items 2 to 4, and no body, whose bytes would otherwise be read as frames. */
    private static void checkHttpHeaders(HttpHeaders headers) {
        int hosts = headers.count("Host");
        if (hosts != 1) {
            throw new HandshakeException(400, hosts == 0 ? "missing Host header" : "repeated Host header");
        }
        if (headers.first("Host").isEmpty()) {
            throw new HandshakeException(400, "empty Host header");
        }
        if (!headers.containsToken("Upgrade", "websocket")) {
            throw new HandshakeException(400, headers.count("Upgrade") == 0
                    ? "missing Upgrade header; a WebSocket handshake sends Upgrade: websocket"
                    : "Upgrade header does not list websocket: " + excerpt(String.join(", ", headers.all("Upgrade"))));
        }
        if (!headers.containsToken("Connection", "upgrade")) {
            throw new HandshakeException(400, headers.count("Connection") == 0
                    ? "missing Connection header; a WebSocket handshake sends Connection: Upgrade"
                    : "Connection header does not list upgrade: "
                            + excerpt(String.join(", ", headers.all("Connection"))));
        }
        if (headers.count("Transfer-Encoding") > 0) {
            throw new HandshakeException(400, "a WebSocket handshake has no body, but Transfer-Encoding is present");
        }
        for (int i = 0; i < headers.size(); i++) {
            if (headers.name(i).equalsIgnoreCase("Content-Length") && !headers.value(i).equals("0")) {
                throw new HandshakeException(400, "a WebSocket handshake has no body, but Content-Length is "
                        + excerpt(headers.value(i)));
            }
        }
    }

    /** §4.2.2 step 4 /version/ and §4.4: anything but exactly 13 is answered with the version spoken. */
    private static void checkVersion(HttpHeaders headers) {
        int count = headers.count("Sec-WebSocket-Version");
        if (count == 0) {
            throw new HandshakeException(426, "missing Sec-WebSocket-Version; this server speaks version " + VERSION);
        }
        if (count > 1) {
            throw new HandshakeException(426, "repeated Sec-WebSocket-Version; this server speaks version " + VERSION);
        }
        String version = headers.first("Sec-WebSocket-Version");
        if (version.isEmpty()) {
            throw new HandshakeException(426, "empty Sec-WebSocket-Version; this server speaks version " + VERSION);
        }
        if (!version.equals(VERSION)) {
            throw new HandshakeException(426, "unsupported Sec-WebSocket-Version " + excerpt(version)
                    + "; this server speaks version " + VERSION);
        }
    }

    /** §4.2.1 item 5 and §4.1 step 7: base64 of exactly 16 bytes, sent once. */
    private static String key(HttpHeaders headers) {
        int count = headers.count("Sec-WebSocket-Key");
        if (count != 1) {
            throw new HandshakeException(400,
                    count == 0 ? "missing Sec-WebSocket-Key" : "repeated Sec-WebSocket-Key");
        }
        String key = headers.first("Sec-WebSocket-Key");
        if (!isBase64(key)) {
            throw new HandshakeException(400, "Sec-WebSocket-Key is not base64: " + excerpt(key));
        }
        // Counted rather than decoded: every 4 characters carry 3 bytes, less one per padding character.
        int decoded = key.length() / 4 * 3 - padding(key);
        if (decoded != 16) {
            throw new HandshakeException(400, "Sec-WebSocket-Key must decode to 16 bytes, not " + decoded);
        }
        return key;
    }

    /** The base64-value-non-empty rule of §4.3, padding included; the JDK decoder alone would accept no padding. */
    private static boolean isBase64(String value) {
        int length = value.length();
        if (length == 0 || length % 4 != 0) {
            return false;
        }
        int padding = padding(value);
        for (int i = 0; i < length - padding; i++) {
            char c = value.charAt(i);
            boolean alphabet = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+'
                    || c == '/';
            if (!alphabet) {
                return false;
            }
        }
        return true;
    }

    private static int padding(String base64) {
        return base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
    }

    /** §4.2.2 step 4 /origin/ and §10.2. */
    private void checkOrigin(HttpHeaders headers) {
        if (headers.count("Origin") > 1) {
            throw new HandshakeException(400, "repeated Origin header");
        }
        String origin = headers.first("Origin");
        if (!origins.allows(origin)) {
            throw new HandshakeException(403, "origin " + excerpt(origin) + " is not allowed");
        }
    }

    /** §4.2.2 step 4 /subprotocol/: the server's most preferred one that the client offered, or none. */
    private String subprotocol(HttpHeaders headers) {
        if (headers.count("Sec-WebSocket-Protocol") == 0) {
            return null;
        }
        List<String> offered = headers.tokens("Sec-WebSocket-Protocol");
        for (String each : offered) {
            if (!HttpTokens.isToken(each)) {
                throw new HandshakeException(400, "malformed Sec-WebSocket-Protocol: " + excerpt(each)
                        + " is not a token");
            }
        }
        for (String candidate : subprotocols) {
            if (offered.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * §9.1: each factory sees the client's offers of its extension and picks one or none. The response lists the
     * accepted extensions in the client's order, which is the order they process data in.
     */
    private List<Extension> negotiate(List<ExtensionOffer> offers) {
        if (offers.isEmpty()) {
            return List.of();
        }
        Map<String, List<ExtensionOffer>> byName = new LinkedHashMap<>();
        for (ExtensionOffer offer : offers) {
            byName.computeIfAbsent(offer.name().toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(offer);
        }
        List<Extension> accepted = new ArrayList<>();
        int claimedRsv = 0;
        try {
            for (List<ExtensionOffer> group : byName.values()) {
                ExtensionFactory factory = Arguments.factoryNamed(extensions, group.get(0).name());
                Extension extension = factory == null ? null : factory.accept(List.copyOf(group));
                if (extension == null) {
                    continue;
                }
                // Two extensions claiming one RSV bit could not tell their frames apart (§9): keep the first.
                if ((extension.rsvBits() & claimedRsv) != 0) {
                    extension.close();
                    continue;
                }
                claimedRsv |= extension.rsvBits();
                accepted.add(extension);
            }
        } catch (RuntimeException e) {
            accepted.forEach(Extension::close);
            throw e;
        }
        return List.copyOf(accepted);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * A request the server accepts: what was negotiated, and the 101 response that says so (RFC 6455 §4.2.2). The
     * response is written on demand, straight into a buffer of the caller's with {@link #encode(ByteBuffer)}, so
     * that a server answers a handshake without building it as header objects first.
     */
    public static final class Accepted {
        private static final byte[] STATUS_TO_ACCEPT = ("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: ").getBytes(StandardCharsets.ISO_8859_1);
        private static final String PROTOCOL = "Sec-WebSocket-Protocol";
        private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

        private final String key;
        private final String subprotocol;
        private final String extensionsHeader;
        private final List<Extension> extensions;

        /**
         * @param key the client's {@code Sec-WebSocket-Key}, already checked
         * @param extensionsHeader the {@code Sec-WebSocket-Extensions} value to answer with, or null for none
         */
        Accepted(String key, String subprotocol, String extensionsHeader, List<Extension> extensions) {
            this.key = key;
            this.subprotocol = subprotocol;
            this.extensionsHeader = extensionsHeader;
            this.extensions = List.copyOf(extensions);
        }

        /** @return the subprotocol chosen, or null when none was */
        public String subprotocol() {
            return subprotocol;
        }

        /** @return the extensions to run, in the order they apply to incoming data; the caller owns them */
        public List<Extension> extensions() {
            return extensions;
        }

        /** @return the 101 response to send before any frame, as header objects (for a caller who amends it) */
        public HttpResponse response() {
            int fields = 3 + (subprotocol != null ? 1 : 0) + (extensionsHeader != null ? 1 : 0);
            HttpHeaders headers = new HttpHeaders(fields)
                    .add("Upgrade", "websocket")
                    .add("Connection", "Upgrade")
                    .add("Sec-WebSocket-Accept", AcceptKey.derive(key));
            if (subprotocol != null) {
                headers.add(PROTOCOL, subprotocol);
            }
            if (extensionsHeader != null) {
                headers.add(EXTENSIONS, extensionsHeader);
            }
            return new HttpResponse(101, "Switching Protocols", headers, null);
        }

        /** @return how many bytes {@link #encode(ByteBuffer)} writes: those of {@link #response()} encoded */
        public int encodedSize() {
            return STATUS_TO_ACCEPT.length + AcceptKey.LENGTH + "\r\n\r\n".length()
                    + fieldSize(PROTOCOL, subprotocol) + fieldSize(EXTENSIONS, extensionsHeader);
        }

        /**
         * Writes the 101 response, the same bytes as {@code response().encode()}, without building it first.
         *
         * @param out where the response goes, with at least {@link #encodedSize()} bytes remaining
         * @return {@code out}, its position advanced past the response
         * @throws java.nio.BufferOverflowException if {@code out} has less room than the response needs
         */
        public ByteBuffer encode(ByteBuffer out) {
            out.put(STATUS_TO_ACCEPT);
            AcceptKey.derive(key, out);
            out.put((byte) '\r').put((byte) '\n');
            field(out, PROTOCOL, subprotocol);
            field(out, EXTENSIONS, extensionsHeader);
            return out.put((byte) '\r').put((byte) '\n');
        }

        private static int fieldSize(String name, String value) {
            return value == null ? 0 : name.length() + ": \r\n".length() + value.length();
        }

        /** Header values here are tokens or extension parameters: ASCII, written a char to a byte. */
        private static void field(ByteBuffer out, String name, String value) {
            if (value == null) {
                return;
            }
            latin1(out, name);
            out.put((byte) ':').put((byte) ' ');
            latin1(out, value);
            out.put((byte) '\r').put((byte) '\n');
        }

        private static void latin1(ByteBuffer out, String text) {
            for (int i = 0; i < text.length(); i++) {
                out.put((byte) text.charAt(i));
            }
        }
    }
}
