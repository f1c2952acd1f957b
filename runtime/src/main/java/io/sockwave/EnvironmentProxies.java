package io.sockwave;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/** {@link ProxyChooser#fromEnvironment(Map)}: curl's reading of the proxy variables. */
final class EnvironmentProxies implements ProxyChooser {
    private final String secure;
    private final String secureName;
    private final String plain;
    private final String plainName;
    private final String[] exempt;
    /** Whether no_proxy is {@code *} alone, which exempts every host; in a list, {@code *} is no wildcard. */
    private final boolean exemptAll;

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
        String noProxy = noProxyName == null ? "" : env.get(noProxyName).trim();
        this.exempt = noProxy.split("[,\\s]+");
        this.exemptAll = noProxy.equals("*");
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
        // A URI without a host is refused by the handshake; it is exempt from nothing meanwhile.
        if (value == null || uri.getHost() != null && isExempt(uri.getHost())) {
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
        host = withoutTrailingDot(host.toLowerCase(Locale.ROOT));
        if (exemptAll) {
            return true;
        }
        for (String entry : exempt) {
            if (entry.isEmpty()) {
                continue;
            }
            String name = withoutTrailingDot(entry.toLowerCase(Locale.ROOT));
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

    /** A fully qualified name's trailing dot ({@code example.com.}) names the same host; curl ignores it. */
    private static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * @return whether the host is an IP literal within the entry's CIDR range ({@code 10.0.0.0/8}, {@code ::1/128}),
     *     or is the entry's address, however either is written ({@code ::1} is {@code 0:0:0:0:0:0:0:1})
     */
    private static boolean inRange(String host, String entry) {
        int slash = entry.indexOf('/');
        String network = slash < 0 ? entry : entry.substring(0, slash);
        if (!isLiteral(host) || !isLiteral(network)) {
            return false;
        }
        try {
            byte[] address = InetAddress.getByName(host).getAddress();
            byte[] prefix = InetAddress.getByName(network).getAddress();
            int bits = slash < 0 ? address.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            if (address.length != prefix.length || bits < 0 || bits > address.length * 8) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (prefix[i / 8] & mask)) {
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
