package io.sockwave;

import io.sockwave.protocol.TextEncoder;
import io.sockwave.protocol.handshake.BasicCredentials;
import io.sockwave.protocol.handshake.RedactedUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * A proxy a {@link Client} connects through, or {@link #DIRECT} for none. Immutable.
 *
 * <p>Both kinds open a tunnel to the WebSocket server's host and port, then speak the WebSocket handshake inside it;
 * for {@code wss://} the TLS session also runs inside the tunnel, with SNI and certificate verification against the
 * server's host, never the proxy's. An {@link Type#HTTP HTTP} proxy is asked with {@code CONNECT host:port} (RFC 9110
 * §9.3.6), with {@code Proxy-Authorization: Basic} when the proxy has credentials (else with any
 * {@code Proxy-Authorization} field set by {@link ClientOptions.Builder#header}, which is then not sent inside the
 * tunnel), for {@code ws://} as for {@code wss://}. A {@link Type#SOCKS5 SOCKS5} proxy (RFC 1928) is offered no
 * authentication and, when the proxy has credentials, username/password (RFC 1929); it is sent the server's host name
 * to resolve, as curl's {@code socks5h://} does, so the client looks up only the proxy's name.
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.builder()
 *         .proxy(Proxy.parse("socks5://alice:secret@127.0.0.1:1080"))
 *         .build();
 * }</pre>
 *
 * @see ProxyChooser
 */
public final class Proxy {
    /** The kind of proxy. */
    public enum Type {
        /** No proxy: a direct connection. */
        DIRECT,
        /** An HTTP proxy, asked for a tunnel with {@code CONNECT}. */
        HTTP,
        /** A SOCKS version 5 proxy (RFC 1928). */
        SOCKS5
    }

    /** No proxy: connect to the server directly. */
    public static final Proxy DIRECT = new Proxy(Type.DIRECT, null, 0, null, null);

    /** RFC 1929 §2: the longest user name or password, in bytes. */
    private static final int MAX_SOCKS_CREDENTIAL = 255;

    /** curl's default port for a proxy URL that names none, whatever its scheme. */
    private static final int DEFAULT_PORT = 1080;

    private final Type type;
    private final String host;
    private final int port;
    private final String username;
    private final String password;

    private Proxy(Type type, String host, int port, String username, String password) {
        this.type = type;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
    }

    /**
     * @param host the proxy's host name or IP literal (an IPv6 literal with or without brackets)
     * @param port its port, 1 to 65535
     * @return an HTTP CONNECT proxy without credentials
     * @throws IllegalArgumentException if the host is empty or the port out of range
     */
    public static Proxy http(String host, int port) {
        return new Proxy(Type.HTTP, checkHost(host), checkPort(port), null, null);
    }

    /**
     * @param host the proxy's host name or IP literal (an IPv6 literal with or without brackets)
     * @param port its port, 1 to 65535
     * @return a SOCKS5 proxy without credentials
     * @throws IllegalArgumentException if the host is empty or the port out of range
     */
    public static Proxy socks5(String host, int port) {
        return new Proxy(Type.SOCKS5, checkHost(host), checkPort(port), null, null);
    }

    /**
     * Reads a proxy URL as curl does: {@code http://}, {@code socks5://} or {@code socks5h://} (both SOCKS5, the
     * proxy resolving the server's name), no scheme meaning {@code http://}, port 1080 when none is given, and
     * percent-encoded credentials before an {@code @}.
     *
     * @param url such as {@code http://user:pass@proxy.example:3128} or {@code socks5://127.0.0.1:1080}
     * @return the proxy
     * @throws IllegalArgumentException if the URL is malformed, its port is not 1 to 65535, it names a scheme not
     *     supported (such as {@code https://}, a TLS connection to the proxy, or {@code socks4://}), or its
     *     credentials are refused by {@link #withCredentials} or are not UTF-8 once percent-decoded; its message
     *     shows the URL without its password
     */
    public static Proxy parse(String url) {
        String text = Objects.requireNonNull(url, "url").trim();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // Neither the URISyntaxException nor its message, which quote the URL whole: its password would go too.
            throw new IllegalArgumentException("invalid proxy URL " + RedactedUrl.of(url) + ": " + e.getReason()
                    + (e.getIndex() < 0 ? "" : " at index " + e.getIndex()));
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        Type type = switch (scheme) {
            case "http" -> Type.HTTP;
            case "socks5", "socks5h" -> Type.SOCKS5;
            default -> throw new IllegalArgumentException("unsupported proxy scheme " + scheme + " in "
                    + RedactedUrl.of(url) + ": use http://, socks5:// or socks5h://");
        };
        if (uri.getHost() == null) {
            // URI keeps an authority that is no host and port (http://proxy:99999999999, http://proxy:abc) as a
            // registry name, without a host: it is shown, without its user information, for what is wrong to be seen.
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
            String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
            throw new IllegalArgumentException("proxy URL " + RedactedUrl.of(url) + " has no host"
                    + (hostAndPort.isEmpty() ? "" : ": '" + hostAndPort + "' is not a host name or IP literal with"
                            + " an optional port of 1 to 65535"));
        }
        Proxy proxy = new Proxy(type, checkHost(uri.getHost()),
                uri.getPort() < 0 ? DEFAULT_PORT : checkPort(uri.getPort()), null, null);
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return proxy;
        }
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String pass = colon < 0 ? "" : userInfo.substring(colon + 1);
        return proxy.withCredentials(decode(user), decode(pass));
    }

    /**
     * For SOCKS5, RFC 1929 §2 wants a user name of 1 to 255 bytes: an empty one is refused here rather than sent
     * with a zero ULEN that a proxy may read as a malformed request. An empty password is sent with a zero PLEN, as
     * curl sends it, because a proxy URL often names a user and no password ({@code socks5://alice@host}).
     *
     * @param username the user name, sent as {@code Proxy-Authorization: Basic} (UTF-8) or as RFC 1929's UNAME
     * @param password the password
     * @return a copy of this proxy with these credentials
     * @throws IllegalArgumentException for a {@link #DIRECT} proxy, either part holding an unpaired surrogate, which
     *     has no UTF-8 form, (HTTP) a user name with a colon or either part with a control character, which RFC 7617
     *     §2 does not allow in Basic credentials, or (SOCKS5) an empty user name, or a name or password longer than
     *     RFC 1929's 255 bytes of UTF-8
     */
    public Proxy withCredentials(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (type == Type.DIRECT) {
            throw new IllegalArgumentException("a direct connection has no credentials");
        }
        if (type == Type.HTTP) {
            new BasicCredentials(username, password); // refuses what RFC 7617 cannot carry
        } else {
            BasicCredentials.requireUtf8("SOCKS5 user name", username);
            BasicCredentials.requireUtf8("SOCKS5 password", password);
            if (username.isEmpty()) {
                throw new IllegalArgumentException("RFC 1929 needs a SOCKS5 user name of 1 to 255 bytes: an empty"
                        + " user name cannot be sent");
            }
            checkSocksLength("user name", username);
            checkSocksLength("password", password);
        }
        return new Proxy(type, host, port, username, password);
    }

    /** @return the kind of proxy */
    public Type type() {
        return type;
    }

    /** @return the proxy's host, without brackets around an IPv6 literal; null for {@link #DIRECT} */
    public String host() {
        return host;
    }

    /** @return the proxy's port; 0 for {@link #DIRECT} */
    public int port() {
        return port;
    }

    /** @return the user name, or null without credentials */
    public String username() {
        return username;
    }

    /** @return the password, or null without credentials */
    public String password() {
        return password;
    }

    /** @return whether this proxy has credentials */
    public boolean hasCredentials() {
        return username != null;
    }

    private static String checkHost(String host) {
        Objects.requireNonNull(host, "host");
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("proxy host is empty");
        }
        return bare;
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port must be 1 to 65535, was " + port);
        }
        return port;
    }

    private static String decode(String part) {
        // URLDecoder would turn '+' into a space, which is form encoding, not a URL's user info.
        String decoded = URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        // URLDecoder puts U+FFFD for escaped bytes that are not UTF-8: credentials other than those written.
        if (decoded.indexOf('\uFFFD') >= 0 && part.indexOf('\uFFFD') < 0) {
            throw new IllegalArgumentException("the proxy URL's user information is not UTF-8 once percent-decoded"
                    + " (RFC 3986 §2.5)");
        }
        return decoded;
    }

    /** RFC 1929 §2 gives ULEN and PLEN one byte each: a longer part would be sent with its length cut. */
    private static void checkSocksLength(String part, String text) {
        int length = TextEncoder.utf8Length(text);
        if (length > MAX_SOCKS_CREDENTIAL) {
            throw new IllegalArgumentException("the SOCKS5 " + part + " is " + length + " bytes of UTF-8: RFC 1929"
                    + " allows at most " + MAX_SOCKS_CREDENTIAL);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Proxy p && type == p.type && Objects.equals(host, p.host) && port == p.port
                && Objects.equals(username, p.username) && Objects.equals(password, p.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, host, port, username);
    }

    /** @return the kind, host and port, and the user name if any; never the password */
    @Override
    public String toString() {
        if (type == Type.DIRECT) {
            return "DIRECT";
        }
        String address = host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        return (type == Type.HTTP ? "http://" : "socks5://") + (username != null ? username + "@" : "") + address;
    }
}
