package io.sockwave.runtime;

import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The rules of RFC 9112 every request meets before it is served, an upgrade or not: one valid {@code Host}
 * (§3.2), a {@code Content-Length} or {@code Transfer-Encoding} that can frame a body (§6.3), and a request target in
 * a form the method allows (§3.2.1 to §3.2.4; for CONNECT, a valid authority with a port, §3.2.3). An absolute-form
 * target is turned into origin-form, with the {@code Host} it names (§3.2.2).
 */
final class RequestChecks {
    /** A Content-Length of 19 digits or more could not be counted in a long; no request here is that large. */
    private static final int MAX_LENGTH_DIGITS = 18;

    private RequestChecks() {
    }

    /**
     * @param request a parsed request head
     * @return the request to serve: the same one, or its origin-form when it came in absolute-form
     * @throws HandshakeException with 400 and the broken rule
     */
    static HttpRequest check(HttpRequest request) {
        HttpRequest served = originForm(request);
        // §3.2: the Host field as received must be there once and valid even when an absolute-form target
        // overrides it (§3.2.2); then the target's authority, which replaced it, must be a valid Host too.
        checkHost(request);
        if (served != request) {
            checkHost(served);
        }
        checkTransferEncoding(served.headers());
        checkContentLength(served.headers());
        return served;
    }

    /** §3.2: exactly one Host in HTTP/1.1, at most one in HTTP/1.0, and a valid one. */
    private static void checkHost(HttpRequest request) {
        HttpHeaders headers = request.headers();
        int hosts = headers.count("Host");
        if (hosts > 1) {
            throw bad("repeated Host header (RFC 9112 §3.2)");
        }
        if (hosts == 0) {
            if (request.version().equals("HTTP/1.0")) {
                return;
            }
            throw bad("missing Host header (RFC 9112 §3.2)");
        }
        String host = headers.first("Host");
        if (!isHostAndPort(host)) {
            throw bad("invalid Host header " + excerpt(host) + " (RFC 9112 §3.2)");
        }
    }

    /** RFC 3986 §3.2.2 and §3.2.3: uri-host [ ":" port ], where an empty value is allowed (RFC 9112 §3.2). */
    private static boolean isHostAndPort(String value) {
        if (value.isEmpty()) {
            return true;
        }
        int hostEnd;
        if (value.charAt(0) == '[') {
            hostEnd = value.indexOf(']');
            if (hostEnd < 2) {
                return false;
            }
            for (int i = 1; i < hostEnd; i++) {
                char c = value.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            hostEnd++;
        } else {
            hostEnd = value.indexOf(':');
            if (hostEnd < 0) {
                hostEnd = value.length();
            }
            if (hostEnd == 0) {
                return false;
            }
            for (int i = 0; i < hostEnd; i++) {
                if (!isRegNameChar(value.charAt(i))) {
                    return false;
                }
            }
        }
        if (hostEnd == value.length()) {
            return true;
        }
        if (value.charAt(hostEnd) != ':') {
            return false;
        }
        for (int i = hostEnd + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return value.length() - hostEnd - 1 <= 5;
    }

    /**
     * RFC 9112 §3.2.3: authority-form = uri-host ":" port, the only form of a CONNECT's target; RFC 9110 §9.3.6: a
     * CONNECT to an empty or invalid port is refused (0 names no TCP port one could connect to).
     */
    private static boolean isAuthorityForm(String target) {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1 || colon < target.indexOf(']') || !isHostAndPort(target)) {
            return false;
        }
        int port = Integer.parseInt(target.substring(colon + 1));
        return port >= 1 && port <= 65535;
    }

    /** reg-name = *( unreserved / pct-encoded / sub-delims ). */
    private static boolean isRegNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~%!$&'()*+,;=".indexOf(c) >= 0;
    }

    /**
     * §6.3 item 4: a request whose last transfer coding is not {@code chunked} has no length a server can find, and
     * chunked applied twice (§7) is as unreliable; both are 400.
     */
    private static void checkTransferEncoding(HttpHeaders headers) {
        if (headers.count("Transfer-Encoding") == 0) {
            return;
        }
        List<String> codings = headers.tokens("Transfer-Encoding");
        long chunked = codings.stream().filter(coding -> coding.equalsIgnoreCase("chunked")).count();
        if (chunked != 1 || !codings.get(codings.size() - 1).equalsIgnoreCase("chunked")) {
            throw bad("Transfer-Encoding " + excerpt(String.join(", ", headers.all("Transfer-Encoding")))
                    + " does not end with chunked once (RFC 9112 §6.3)");
        }
    }

    /**
     * §6.3 items 3 and 5: with Transfer-Encoding there may be no Content-Length; a Content-Length must be digits,
     * and repeated values (in one line or several) must be the same.
     */
    private static void checkContentLength(HttpHeaders headers) {
        List<String> lines = headers.all("Content-Length");
        if (lines.isEmpty()) {
            return;
        }
        if (headers.count("Transfer-Encoding") > 0) {
            throw bad("both Transfer-Encoding and Content-Length (RFC 9112 §6.3)");
        }
        String first = null;
        for (String line : lines) {
            for (String value : line.split(",", -1)) {
                String length = value.strip();
                if (length.isEmpty() || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw bad("invalid Content-Length " + excerpt(line) + " (RFC 9112 §6.3)");
                }
                if (length.length() > MAX_LENGTH_DIGITS) {
                    throw bad("Content-Length " + excerpt(length) + " is too large (RFC 9112 §6.3)");
                }
                if (first == null) {
                    first = length;
                } else if (Long.parseLong(first) != Long.parseLong(length)) {
                    throw bad("conflicting Content-Length values " + excerpt(String.join(", ", lines))
                            + " (RFC 9112 §6.3)");
                }
            }
        }
    }

    /**
     * §3.2: origin-form for most methods, asterisk-form for OPTIONS, authority-form for CONNECT; absolute-form for
     * any, which a server must accept (§3.2.2), and which is served as its origin-form with the Host it names.
     */
    private static HttpRequest originForm(HttpRequest request) {
        String target = request.target();
        if (target.indexOf('#') >= 0) {
            // No form of §3.2 has a fragment, and RFC 6455 §3 forbids one on a WebSocket URI.
            throw bad("request target " + excerpt(target) + " has a fragment (RFC 9112 §3.2, RFC 6455 §3)");
        }
        if (request.method().equals("CONNECT")) {
            if (!isAuthorityForm(target)) {
                throw bad("CONNECT to " + excerpt(target) + ": its target is host:port with a port from 1 to 65535"
                        + " (RFC 9112 §3.2.3, RFC 9110 §9.3.6)");
            }
            return request;
        }
        if (target.startsWith("/") || target.equals("*") && request.method().equals("OPTIONS")) {
            return request;
        }
        int colon = target.indexOf("://");
        if (colon <= 0) {
            throw bad("malformed request target " + excerpt(target) + " (RFC 9112 §3.2)");
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            throw bad("malformed absolute-form request target " + excerpt(target) + " (RFC 9112 §3.2.2)");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of("http", "https", "ws", "wss").contains(scheme) || uri.getRawAuthority() == null
                || uri.getRawUserInfo() != null) {
            throw bad("unsupported absolute-form request target " + excerpt(target) + " (RFC 9112 §3.2.2)");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        // §3.2.2: the target's authority replaces whatever Host the request carried.
        HttpHeaders headers = new HttpHeaders();
        request.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(name, value);
            }
        });
        headers.add("Host", uri.getRawAuthority());
        return new HttpRequest(request.method(), query == null ? path : path + "?" + query, request.version(),
                headers);
    }

    private static HandshakeException bad(String reason) {
        return new HandshakeException(400, reason);
    }

    private static String excerpt(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
