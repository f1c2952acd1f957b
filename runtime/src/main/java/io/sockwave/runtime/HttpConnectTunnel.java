package io.sockwave.runtime;

import io.sockwave.Proxy;
import io.sockwave.ProxyException;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.handshake.BasicCredentials;
import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.protocol.handshake.HttpHeadParser;
import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A tunnel through an HTTP proxy: {@code CONNECT host:port} (RFC 9110 §9.3.6), with {@code Proxy-Authorization: Basic}
 * (RFC 7617) when the proxy has credentials, else with the {@code Proxy-Authorization} fields set by hand. Any 2xx
 * opens the tunnel, after any 1xx (RFC 9110 §15.2); each head is read by the same bounded parser as a handshake
 * response, so a proxy cannot make the client buffer more than {@code maxHandshakeBytes}.
 */
final class HttpConnectTunnel extends ProxyTunnel {
    private HttpHeadParser parser;
    private int interims;

    HttpConnectTunnel(ChannelDriver driver, Proxy proxy, String host, int port, CompletableFuture<?> result,
                      Runnable fallback, long deadline, long connectNanos, Limits limits,
                      List<String> proxyAuthorization, Established established) {
        super(driver, proxy, host, port, result, fallback, deadline, connectNanos, established);
        this.parser = HttpHeadParser.responses(limits);
        driver.send(request(proxyAuthorization), null);
    }

    /** @param proxyAuthorization values set by hand, sent when the proxy has no credentials of its own */
    private ByteBuffer request(List<String> proxyAuthorization) {
        StringBuilder head = new StringBuilder()
                .append("CONNECT ").append(target()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target()).append("\r\n");
        if (proxy.hasCredentials()) {
            head.append("Proxy-Authorization: ")
                    .append(new BasicCredentials(proxy.username(), proxy.password()).headerValue()).append("\r\n");
        } else {
            proxyAuthorization.forEach(value -> head.append("Proxy-Authorization: ").append(value).append("\r\n"));
        }
        head.append("\r\n");
        return ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    boolean answer(ByteBuffer in) throws ProxyException {
        HttpResponse response;
        try {
            while (true) {
                if (!parser.parse(in)) {
                    return false;
                }
                response = parser.response();
                if (response.status() == 101 || response.status() >= 200) {
                    break;
                }
                // RFC 9110 §15.2: a client reads past 1xx responses, expected or not, to the final one; but 101
                // switches protocols, which no answer to CONNECT may (§15.2.2), so it is a refusal.
                if (++interims > ClientUpgrade.MAX_INTERIM_RESPONSES) {
                    throw new ProxyException(proxy, response.status(), proxy + " sent more than "
                            + ClientUpgrade.MAX_INTERIM_RESPONSES + " interim responses to CONNECT " + target());
                }
                parser.reset();
            }
        } catch (HandshakeException e) {
            throw new ProxyException(proxy, 0, proxy + " answered CONNECT " + target() + " with no valid HTTP head: "
                    + e.getMessage());
        }
        parser = null;
        int status = response.status();
        if (status / 100 == 2) {
            return true;
        }
        StringBuilder message = new StringBuilder().append(proxy).append(" refused CONNECT ").append(target())
                .append(": ").append(status).append(' ').append(response.reason());
        if (status == 407 || status == 401) {
            // 407 is the proxy's own status (RFC 9110 §15.5.8); some proxies, tinyproxy among them, answer refused
            // credentials with 401.
            String challenge = response.headers().first(status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate");
            message.append(proxy.hasCredentials()
                    ? " (the credentials of user " + proxy.username() + " were not accepted)"
                    : " (it wants credentials" + (challenge != null ? ": " + challenge : "") + ")");
        } else if (status == 403) {
            message.append(" (the proxy forbids this destination)");
        }
        throw new ProxyException(proxy, status, message.toString());
    }
}
