package io.sockwave.runtime;

import io.sockwave.ProxyChooser;
import io.sockwave.protocol.handshake.HttpHeaders;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * What {@link io.sockwave.ClientOptions} configured.
 *
 * @param connectNanos TCP connect deadline
 * @param headers extra handshake request headers; not modified
 * @param sslContext the SSL context for wss, or null for the JVM default
 * @param tlsParameters adjusts each connection's TLS parameters after the defaults
 * @param maxRedirects redirects to follow
 * @param session the session settings
 * @param proxies chooses the proxy for each URI, redirects included
 */
public record ClientSpec(long connectNanos, HttpHeaders headers, SSLContext sslContext,
                         Consumer<SSLParameters> tlsParameters, int maxRedirects, SessionOptions session,
                         ProxyChooser proxies) {
    /**
     * @param replaced the headers to send instead
     * @return this spec with other request headers
     */
    ClientSpec withHeaders(HttpHeaders replaced) {
        return new ClientSpec(connectNanos, replaced, sslContext, tlsParameters, maxRedirects, session, proxies);
    }
}
