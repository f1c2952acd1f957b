package io.sockwave.protocol.handshake;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Decides which origins may open a WebSocket (RFC 6455 §4.2.2 step 4, §10.2). Browsers send {@code Origin} with
 * every WebSocket handshake, so this is what stops another site's page from connecting with the user's cookies.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface OriginPolicy {
    /**
     * @param origin the request's {@code Origin} value as sent, e.g. {@code https://example.com}; null when the
     *     request has none, as from a non-browser client
     * @return whether the handshake may proceed; when false the server answers 403
     */
    boolean allows(String origin);

    /** @return a policy that allows every origin, for endpoints that do not rely on cookies or ambient credentials */
    static OriginPolicy any() {
        return origin -> true;
    }

    /**
     * A policy that allows the listed origins and requests without {@code Origin}: those come from non-browser
     * clients, which can forge any header anyway. Entries are compared whole, ignoring ASCII case, and must be
     * written as browsers serialize origins (RFC 6454 §6.2): scheme, {@code ://}, host, and {@code :port} only when
     * it is not the scheme's default; no path or trailing slash.
     *
     * @param origins the allowed origins, e.g. {@code https://example.com}, {@code http://localhost:8080}
     * @return the policy
     * @throws IllegalArgumentException if an entry is not written as an origin, or names its scheme's default port
     *     ({@code https://example.com:443}), which no browser sends
     */
    static OriginPolicy allowList(Collection<String> origins) {
        Set<String> allowed = new HashSet<>();
        for (String entry : origins) {
            int separator = entry.indexOf("://");
            boolean wellFormed = separator > 0 && separator + 3 < entry.length();
            for (int i = separator + 3; wellFormed && i < entry.length(); i++) {
                char c = entry.charAt(i);
                wellFormed = c > ' ' && c < 0x7F && c != '/' && c != '?' && c != '#';
            }
            if (!wellFormed) {
                throw new IllegalArgumentException(
                        "not an origin (scheme://host[:port], no path): '" + entry + "'");
            }
            String defaultPort = defaultPortWritten(entry, separator);
            if (defaultPort != null) {
                throw new IllegalArgumentException("'" + entry + "' can never match: browsers omit the default port "
                        + defaultPort + " of its scheme from Origin; write it without ':" + defaultPort + "'");
            }
            allowed.add(asciiLowerCase(entry));
        }
        return origin -> origin == null || allowed.contains(asciiLowerCase(origin));
    }

    /**
     * RFC 6454 §6.2 serializes an origin with its port only when that is not the scheme's default, so an entry that
     * spells out the default port matches no browser's {@code Origin}: @return that port, or null when none is written
     */
    private static String defaultPortWritten(String entry, int separator) {
        int hostEnd = entry.lastIndexOf(']');
        int colon = entry.indexOf(':', Math.max(separator + 3, hostEnd));
        if (colon < 0) {
            return null;
        }
        String scheme = asciiLowerCase(entry.substring(0, separator));
        String port = entry.substring(colon + 1);
        boolean secure = scheme.equals("https") || scheme.equals("wss");
        boolean plain = scheme.equals("http") || scheme.equals("ws");
        return secure && port.equals("443") || plain && port.equals("80") ? port : null;
    }

    /** RFC 6454 §6.2 and RFC 6455 §4.2.2 compare origins after ASCII lowercasing only, never locale rules. */
    private static String asciiLowerCase(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] += 'a' - 'A';
            }
        }
        return new String(chars);
    }
}
