package io.sockwave.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals in a URI's host, turned into addresses without asking any name service, so that a connect to
 * {@code 127.0.0.1} or {@code [::1]} needs no resolver thread.
 */
final class IpLiteral {
    private IpLiteral() {
    }

    /**
     * @param host a URI's host, without the brackets around an IPv6 literal
     * @return whether the host is shaped like an IPv4 or IPv6 literal rather than a name
     */
    static boolean looksLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /**
     * @param host a URI's host, without the brackets around an IPv6 literal
     * @return the address the literal names, or null when the host is a name to look up
     * @throws UnknownHostException if the host holds a colon but is no valid IPv6 literal
     */
    static InetAddress parse(String host) throws UnknownHostException {
        if (host.indexOf(':') >= 0) {
            // No host name holds a colon: the JDK parses such a string as an IPv6 literal (with an optional scope)
            // and fails without a lookup when it is not one.
            return InetAddress.getByName(host);
        }
        byte[] octets = ipv4(host);
        return octets == null ? null : InetAddress.getByAddress(host, octets);
    }

    /**
     * Parses four decimal octets strictly: {@link InetAddress#getByName} would look up a digit string that is no
     * valid literal, such as {@code 256.1.1.1}, as a name.
     */
    private static byte[] ipv4(String host) {
        byte[] octets = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= host.length(); i++) {
            char c = i < host.length() ? host.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && part < 4) {
                octets[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? octets : null;
    }
}
