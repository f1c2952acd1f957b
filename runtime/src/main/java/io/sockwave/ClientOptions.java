package io.sockwave;

import io.sockwave.protocol.handshake.ClientHandshake;
import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.runtime.ClientSpec;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * How a {@link Client} connects: timeouts, headers, subprotocols, extensions, TLS, redirects, proxies, and the
 * {@link SessionSettings session settings}. Immutable and thread-safe; one instance may serve many connections.
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.builder()
 *         .header("Authorization", "Bearer " + token)
 *         .subprotocols("chat.v1")
 *         .connectTimeout(Duration.ofSeconds(3))
 *         .build();
 * }</pre>
 */
public final class ClientOptions {
    private static final ClientOptions DEFAULTS = builder().build();

    private final ClientSpec spec;

    private ClientOptions(ClientSpec spec) {
        this.spec = spec;
    }

    /**
     * @return the defaults: connect and handshake timeouts of 10 seconds, no extra header, no subprotocol or
     *     extension, the JVM's default SSL context with host name verification, no redirects, no proxy
     */
    public static ClientOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    ClientSpec spec() {
        return spec;
    }

    /** Configures {@link ClientOptions}. Not thread-safe. */
    public static final class Builder extends SessionSettings<Builder> {
        private static final URI ANY_URI = URI.create("ws://localhost/");

        private Duration connectTimeout = Duration.ofSeconds(10);
        private final HttpHeaders headers = new HttpHeaders();
        private SSLContext sslContext;
        private Consumer<SSLParameters> tlsParameters = p -> { };
        private int maxRedirects;
        private ProxyChooser proxies = ProxyChooser.DIRECT;

        private Builder() {
        }

        /**
         * How long looking the host up, establishing the TCP connection and, through a {@link #proxy proxy},
         * having it open the tunnel may take together, counted from the call to
         * {@link Client#connect(java.net.URI, ClientOptions, Listener) connect}. The
         * {@link #handshakeTimeout handshake timeout} starts once connected (through a proxy, once the tunnel is
         * open) and covers TLS and the exchange up to the 101.
         *
         * <p>The two together bound the whole opening: from the call to connect, every {@link #followRedirects
         * redirect} included, the session is open within the connect timeout plus the handshake timeout, or the
         * connect fails with a {@link java.util.concurrent.TimeoutException}. Each hop of a redirect chain gets
         * these timeouts again, but never more than what is left of that bound, so a chain of slow redirects cannot
         * take one handshake timeout per hop.
         *
         * @param timeout positive; default 10 seconds
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /**
         * Adds a header field to the handshake request, such as {@code Origin}, {@code Cookie} or
         * {@code Authorization}. A {@code Proxy-Authorization} field is for a proxy: through a {@link #proxy proxy}
         * it is never sent to the server inside the tunnel; an HTTP proxy without credentials of its own gets it with
         * {@code CONNECT} instead.
         *
         * @param name the field name
         * @param value the field value
         * @return this builder
         * @throws IllegalArgumentException if the name is not a token or the value holds a line break; a field the
         *     handshake writes itself is refused by {@link #build()}
         */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /**
         * @param context the SSL context for wss:// connections; default {@link SSLContext#getDefault()}, which
         *     trusts the JVM's CA certificates
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Adjusts the TLS parameters after the defaults are set. By default the server's certificate is verified
         * against its host name (endpoint identification {@code HTTPS}) and SNI names the host; a customizer may
         * restrict protocols or cipher suites, or, for a test against a self-signed server only, relax checks.
         *
         * @param customizer called with each connection's parameters
         * @return this builder
         */
        public Builder tlsParameters(Consumer<SSLParameters> customizer) {
            this.tlsParameters = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Follows redirects: a 301, 302, 303, 307 or 308 answer with a {@code Location} is retried there, up to
         * {@code max} times; http and https locations map to ws and wss. Default 0: a redirect fails the connect,
         * as does one with two {@code Location} fields that disagree (RFC 9110 §10.2.2: it has one target).
         * A redirect to another origin (scheme, host or port) is followed without the {@code Authorization} and
         * {@code Cookie} headers, for the rest of the chain; the {@link #proxyChooser proxy} is chosen anew for each
         * target. A {@code Proxy-Authorization} header is the proxy's, not the origin's: it goes on with each
         * {@code CONNECT} while the target's proxy is the one the chain used so far, and is dropped, for the rest of
         * the chain, once a target goes through another proxy or none (without a proxy it is sent to the server, and
         * so is dropped with the others for another origin). The whole chain shares one deadline: see
         * {@link #connectTimeout}. A redirect from wss to ws (or http) is never
         * followed: the connect fails with a {@code HandshakeException}, as the JDK's {@code HttpClient} refuses an
         * https to http redirect, since the messages too would then go in the clear.
         *
         * @param max the most redirects to follow
         * @return this builder
         */
        public Builder followRedirects(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max must not be negative, was " + max);
            }
            this.maxRedirects = max;
            return this;
        }

        /**
         * Connects through this proxy, whatever the URI; see {@link Proxy} for how each kind is spoken to. The
         * {@link #connectTimeout connect timeout} covers reaching the proxy and having it open the tunnel; the
         * handshake timeout starts once the tunnel is open. A proxy that refuses fails the connect with a
         * {@link ProxyException}. Default {@link Proxy#DIRECT}.
         *
         * @param proxy the proxy, or {@link Proxy#DIRECT}
         * @return this builder
         */
        public Builder proxy(Proxy proxy) {
            return proxyChooser(ProxyChooser.always(proxy));
        }

        /**
         * Chooses a proxy per URI, such as {@link ProxyChooser#fromEnvironment()} to honour {@code HTTPS_PROXY}
         * and {@code NO_PROXY} as curl does. A redirect's target is chosen for anew.
         *
         * @param chooser the chooser; default {@link ProxyChooser#DIRECT}
         * @return this builder
         */
        public Builder proxyChooser(ProxyChooser chooser) {
            this.proxies = Objects.requireNonNull(chooser, "chooser");
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if they can make no valid request: a subprotocol that is not a token or
         *     is offered twice, a header the handshake writes itself ({@code Host}, {@code Upgrade},
         *     {@code Connection}, {@code Sec-WebSocket-*}) or one that would announce a body, or two extension
         *     factories of one name
         */
        public ClientOptions build() {
            HttpHeaders copy = new HttpHeaders();
            headers.forEach(copy::add);
            // The handshake's own checks of what the options hold, made here so that they fail where they are set
            // rather than at each connect; the URI only has to be valid.
            new ClientHandshake(ANY_URI, copy, sessionOptions().subprotocols(), sessionOptions().extensions());
            return new ClientOptions(new ClientSpec(connectTimeout.toNanos(), copy, sslContext, tlsParameters,
                    maxRedirects, sessionOptions(), proxies));
        }
    }
}
