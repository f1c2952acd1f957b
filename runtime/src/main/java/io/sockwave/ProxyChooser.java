package io.sockwave;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
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
     *       by commas or spaces, that are connected to directly. {@code *} alone exempts every host; a name exempts
     *       itself and its subdomains (a leading dot is ignored); names compare without case.</li>
     * </ul>
     * Values are {@linkplain Proxy#parse proxy URLs}; an empty value counts as unset. A value that is no valid
     * proxy URL fails each connect that would use it, with an {@link IllegalArgumentException} naming the variable.
     *
     * @param environment the variables, as {@link System#getenv()} gives them; copied
     * @return the chooser
     */
    static ProxyChooser fromEnvironment(Map<String, String> environment) {
        return new EnvironmentProxies(environment);
    }
}

/** {@link ProxyChooser#fromEnvironment(Map)}: curl's reading of the proxy variables. */
final class EnvironmentProxies implements ProxyChooser {
    private final String secure;
    private final String secureName;
    private final String plain;
    private final String plainName;
    private final String[] exempt;

    EnvironmentProxies(Map<String, String> environment) {
        Map<String, String> env = Map.copyOf(environment);
        String all = first(env, "all_proxy", "ALL_PROXY");
        String https = first(env, "https_proxy", "HTTPS_PROXY");
        String http = first(env, "http_proxy");
        this.secureName = https != null ? https : all;
        this.secure = secureName == null ? null : env.get(secureName);
        this.plainName = http != null ? http : all;
        this.plain = plainName == null ? null : env.get(plainName);
        String noProxyName = first(env, "no_proxy", "NO_PROXY");
        this.exempt = noProxyName == null ? new String[0] : env.get(noProxyName).trim().split("[,\\s]+");
    }

    /** @return the name of the first variable set to a non-empty value, or null */
    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return name;
            }
        }
        return null;
    }

    @Override
    public Proxy choose(URI uri) {
        boolean wss = "wss".equalsIgnoreCase(uri.getScheme());
        String value = wss ? secure : plain;
        if (value == null || isExempt(uri.getHost())) {
            return Proxy.DIRECT;
        }
        try {
            return Proxy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((wss ? secureName : plainName) + ": " + e.getMessage(), e);
        }
    }

    private boolean isExempt(String rawHost) {
        String host = rawHost.startsWith("[") ? rawHost.substring(1, rawHost.length() - 1) : rawHost;
        host = host.toLowerCase(Locale.ROOT);
        for (String entry : exempt) {
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return true;
            }
            String name = entry.toLowerCase(Locale.ROOT);
            if (name.startsWith(".")) {
                name = name.substring(1);
            }
            if (name.startsWith("[") && name.endsWith("]")) {
                name = name.substring(1, name.length() - 1);
            }
            if (host.equals(name) || host.endsWith("." + name) || inRange(host, name)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the host is an IP literal within the entry's CIDR range ({@code 10.0.0.0/8}, {@code ::1/128}) */
    private static boolean inRange(String host, String entry) {
        int slash = entry.indexOf('/');
        if (slash < 0 || !isLiteral(host) || !isLiteral(entry.substring(0, slash))) {
            return false;
        }
        try {
            byte[] address = InetAddress.getByName(host).getAddress();
            byte[] network = InetAddress.getByName(entry.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(entry.substring(slash + 1));
            if (address.length != network.length || bits < 0 || bits > address.length * 8) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    /** Only literals reach {@link InetAddress#getByName}, which would otherwise look a name up. */
    private static boolean isLiteral(String s) {
        return !s.isEmpty() && (s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    }
}
