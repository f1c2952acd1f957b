package io.sockwave;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Chooses, for each URI a {@link Client} connects to (a redirect's target included), the {@link Proxy} to go
 * through, as {@link java.net.ProxySelector} does for the JDK's clients. Called on the thread that calls
 * {@code connect}, or on an event loop for a redirect: it must not block.
 */
@FunctionalInterface
public interface ProxyChooser {
    /** Every connection is direct: the default. */
    ProxyChooser DIRECT = uri -> Proxy.DIRECT;

    /**
     * @param uri the ws:// or wss:// URI about to be connected to
     * @return the proxy to connect through, or {@link Proxy#DIRECT}; never null
     * @throws IllegalArgumentException if no proxy can be chosen for it ({@link #fromEnvironment()}: the variable
     *     it would use is no valid proxy URL); the connect fails with this exception
     */
    Proxy choose(URI uri);

    /**
     * @param proxy the proxy for every URI
     * @return a chooser that always answers {@code proxy}
     */
    static ProxyChooser always(Proxy proxy) {
        Objects.requireNonNull(proxy, "proxy");
        return uri -> proxy;
    }

    /**
     * The proxy the process environment names, read as curl reads it; see {@link #fromEnvironment(Map)}. The
     * environment is read once, now.
     *
     * @return the chooser
     */
    static ProxyChooser fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The proxy these environment variables name, read as curl reads them:
     * <ul>
     *   <li>a {@code wss://} URI uses {@code https_proxy}, else {@code HTTPS_PROXY}; a {@code ws://} URI uses
     *       {@code http_proxy}, lower case only, because a CGI program finds the request's {@code Proxy} header in
     *       {@code HTTP_PROXY} ("httpoxy");</li>
     *   <li>without those, {@code all_proxy}, else {@code ALL_PROXY};</li>
     *   <li>{@code no_proxy}, else {@code NO_PROXY}: host names, domains and IP addresses or CIDR ranges, separated
     *       by commas or spaces, that are connected to directly. {@code *} alone exempts every host (in a list it is no
     *       wildcard); a name exempts itself and its subdomains (a leading or trailing dot is ignored, in the entry as
     *       in the host); names compare without case, addresses as addresses ({@code ::1} exempts
     *       {@code [0:0:0:0:0:0:0:1]}).</li>
     * </ul>
     * Values are {@linkplain Proxy#parse proxy URLs}; an empty value counts as unset. A value that is no valid
     * proxy URL (a port past 65535 or 0, no host, an unsupported scheme) is neither used nor skipped: as curl fails
     * such a transfer ("Unsupported proxy syntax", exit 5), it fails each connect that would use it, with an
     * {@link IllegalArgumentException} naming the variable, and a {@link ReconnectingSession} gives up at once. As in
     * curl, a variable that a URI does not use (a bad {@code https_proxy} for a {@code ws://} URI, any for a host
     * {@code no_proxy} exempts) fails nothing. {@link ProxyChooser#choose} with the URI to connect to checks it
     * ahead.
     *
     * @param environment the variables, as {@link System#getenv()} gives them; copied
     * @return the chooser
     */
    static ProxyChooser fromEnvironment(Map<String, String> environment) {
        return new EnvironmentProxies(environment);
    }
}
