package io.sockwave.runtime;

import io.sockwave.Proxy;
import io.sockwave.ProxyException;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A tunnel through a SOCKS5 proxy (RFC 1928): offers no authentication, and username/password (RFC 1929) when the
 * proxy has credentials, then asks to CONNECT to the server by name (the proxy resolves it) or by IP literal. Each
 * answer is read into a fixed buffer of at most {@link #MAX_REPLY} bytes, the longest reply the RFC allows.
 */
final class Socks5Tunnel extends ProxyTunnel {
    private static final int VERSION = 5;
    private static final int NO_AUTHENTICATION = 0;
    private static final int USERNAME_PASSWORD = 2;
    private static final int NO_ACCEPTABLE_METHOD = 0xFF;
    private static final int CONNECT = 1;
    private static final int IPV4 = 1;
    private static final int DOMAIN_NAME = 3;
    private static final int IPV6 = 4;
    /** A reply's VER, REP, RSV, ATYP, a 255-byte name with its length, and the port (RFC 1928 §6). */
    private static final int MAX_REPLY = 4 + 1 + 255 + 2;
    /** RFC 1928 §5: a domain name's length is one byte. */
    private static final int MAX_NAME = 255;
    /** RFC 1928 §6: what each failure reply means. */
    private static final String[] REPLIES = {
        "succeeded", "general SOCKS server failure", "connection not allowed by ruleset", "network unreachable",
        "host unreachable", "connection refused", "TTL expired", "command not supported",
        "address type not supported",
    };

    private enum Step { METHOD, AUTHENTICATION, REPLY_HEAD, REPLY_ADDRESS }

    private final byte[] answer = new byte[MAX_REPLY];
    private Step step = Step.METHOD;
    private int have;
    private int need = 2;

    Socks5Tunnel(ChannelDriver driver, Proxy proxy, String host, int port, CompletableFuture<?> result,
                 Runnable fallback, long deadline, long connectNanos, Established established) {
        super(driver, proxy, host, port, result, fallback, deadline, connectNanos, established);
        byte[] greeting = proxy.hasCredentials()
                ? new byte[] {VERSION, 2, NO_AUTHENTICATION, USERNAME_PASSWORD}
                : new byte[] {VERSION, 1, NO_AUTHENTICATION};
        driver.send(ByteBuffer.wrap(greeting), null);
    }

    /**
     * RFC 1928 §5 gives a domain name one length byte: a longer host could not be asked for.
     *
     * @param proxy the proxy chosen for the host
     * @param host the server's host, without brackets or zone
     * @throws IllegalArgumentException for a SOCKS5 proxy and a host name of more than 255 bytes
     */
    static void requireSendable(Proxy proxy, String host) {
        if (proxy.type() == Proxy.Type.SOCKS5 && host.length() > MAX_NAME) {
            throw new IllegalArgumentException("the host name is " + host.length() + " bytes: a SOCKS5 proxy can be"
                    + " asked for at most " + MAX_NAME + " (RFC 1928 §5), so " + proxy + " cannot reach it");
        }
    }

    @Override
    boolean answer(ByteBuffer in) throws ProxyException {
        while (in.hasRemaining()) {
            int n = Math.min(in.remaining(), need - have);
            in.get(answer, have, n);
            have += n;
            if (have < need) {
                return false;
            }
            if (onAnswer()) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the tunnel is open; otherwise sets what to read next */
    private boolean onAnswer() throws ProxyException {
        switch (step) {
            case METHOD -> onMethod();
            case AUTHENTICATION -> onAuthentication();
            case REPLY_HEAD -> onReplyHead();
            case REPLY_ADDRESS -> {
                return true;
            }
        }
        return false;
    }

    private void onMethod() throws ProxyException {
        if (answer[0] != VERSION) {
            throw malformed("its greeting answer has version " + (answer[0] & 0xFF) + ", not 5: it is no SOCKS5 proxy");
        }
        int method = answer[1] & 0xFF;
        if (method == NO_AUTHENTICATION) {
            sendConnect();
        } else if (method == USERNAME_PASSWORD && proxy.hasCredentials()) {
            sendCredentials();
        } else if (method == NO_ACCEPTABLE_METHOD) {
            throw new ProxyException(proxy, 0, proxy + " accepts none of the authentication methods offered ("
                    + (proxy.hasCredentials() ? "none, username/password" : "none: it may want credentials") + ")");
        } else {
            throw malformed("it chose authentication method " + method + ", which was not offered");
        }
    }

    private void sendCredentials() {
        byte[] user = proxy.username().getBytes(StandardCharsets.UTF_8);
        byte[] password = proxy.password().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream(3 + user.length + password.length);
        request.write(1);
        request.write(user.length);
        request.writeBytes(user);
        request.write(password.length);
        request.writeBytes(password);
        expect(Step.AUTHENTICATION, 2);
        driver.send(ByteBuffer.wrap(request.toByteArray()), null);
    }

    private void onAuthentication() throws ProxyException {
        // RFC 1929 §2: any status but 0 is a failure, and the server closes the connection.
        if (answer[1] != 0) {
            throw new ProxyException(proxy, 0, proxy + " refused the username/password of user "
                    + proxy.username() + " (RFC 1929 status " + (answer[1] & 0xFF) + ")");
        }
        sendConnect();
    }

    private void sendConnect() throws ProxyException {
        ByteArrayOutputStream request = new ByteArrayOutputStream(262);
        request.writeBytes(new byte[] {VERSION, CONNECT, 0});
        InetAddress literal;
        try {
            literal = IpLiteral.parse(host);
        } catch (UnknownHostException e) {
            throw new ProxyException(proxy, 0, "cannot ask " + proxy + " for " + target() + ": " + e.getMessage());
        }
        if (literal != null) {
            byte[] address = literal.getAddress();
            request.write(address.length == 4 ? IPV4 : IPV6);
            request.writeBytes(address);
        } else {
            // No longer than 255 bytes: ClientEngine asked requireSendable before connecting. A URI host is ASCII.
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            request.write(DOMAIN_NAME);
            request.write(name.length);
            request.writeBytes(name);
        }
        request.write(port >>> 8);
        request.write(port & 0xFF);
        // The head and the first byte of the address, which for a name is its length.
        expect(Step.REPLY_HEAD, 5);
        driver.send(ByteBuffer.wrap(request.toByteArray()), null);
    }

    private void onReplyHead() throws ProxyException {
        if (answer[0] != VERSION) {
            throw malformed("its reply has version " + (answer[0] & 0xFF) + ", not 5");
        }
        int reply = answer[1] & 0xFF;
        if (reply != 0) {
            String meaning = reply < REPLIES.length ? REPLIES[reply] : "unassigned reply code";
            throw new ProxyException(proxy, reply, proxy + " could not connect to " + target() + ": reply " + reply
                    + " (" + meaning + ")");
        }
        int rest = switch (answer[3]) {
            case IPV4 -> 4 - 1;
            case IPV6 -> 16 - 1;
            case DOMAIN_NAME -> answer[4] & 0xFF;
            default -> throw malformed("its reply has address type " + (answer[3] & 0xFF));
        };
        expect(Step.REPLY_ADDRESS, 5 + rest + 2);
        // Called with the buffer full up to need: keep what was read, read on to the new need.
        have = 5;
    }

    private void expect(Step next, int bytes) {
        step = next;
        have = 0;
        need = bytes;
    }

    private ProxyException malformed(String what) {
        return new ProxyException(proxy, 0, proxy + " sent no valid SOCKS5 answer: " + what);
    }
}
