package io.sockwave.cli.connect;

import io.sockwave.ClientOptions;
import io.sockwave.Proxy;
import io.sockwave.ProxyChooser;
import io.sockwave.cli.Compression;
import io.sockwave.cli.tls.TlsContexts;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.handshake.RedactedUrl;
import java.io.IOException;
import java.util.Locale;

/** Turns {@code connect}'s flags into {@link ClientOptions}. */
final class ClientOptionsFromFlags {
    private ClientOptionsFromFlags() {}

    /**
     * @param options the parsed flags
     * @return the client options
     * @throws IllegalArgumentException with a message for the user when a flag's value is invalid
     * @throws IOException when a TLS file cannot be used
     */
    static ClientOptions build(ConnectOptions options) throws IOException {
        String scheme = options.url.getScheme() == null ? "" : options.url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException(
                    "URL must start with ws:// or wss://, was " + RedactedUrl.of(String.valueOf(options.url)));
        }
        if ((options.cert == null) != (options.key == null)) {
            throw new IllegalArgumentException("--cert and --key go together");
        }
        if (options.chunk < 1 || options.chunk > 16 << 20) {
            throw new IllegalArgumentException("--chunk must be 1 byte to 16MiB, was " + options.chunk);
        }
        if (options.reconnectMax != null && !options.reconnect) {
            throw new IllegalArgumentException("--reconnect-max needs --reconnect");
        }
        if (options.pingTimeout != null && (options.ping == null || options.ping.isZero())) {
            throw new IllegalArgumentException("--ping-timeout needs --ping");
        }
        if (options.pingTimeout != null && options.pingTimeout.isZero()) {
            // No pong can come within no time: every ping would close the session as unanswered.
            throw new IllegalArgumentException("--ping-timeout must be positive, was 0");
        }
        ClientOptions.Builder builder = ClientOptions.builder()
                .connectTimeout(options.connectTimeout)
                .handshakeTimeout(options.connectTimeout)
                .closeTimeout(options.closeTimeout)
                .subprotocols(options.subprotocols.toArray(String[]::new))
                .extensions(Compression.factories(options.compression).toArray(ExtensionFactory[]::new));
        // --max-message promises a message of that size, which a server may send as one frame.
        builder.limits(Limits.DEFAULTS.withMaxMessageSize(options.maxMessage).withMaxFrameSize(options.maxMessage));
        for (String header : options.headers) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("expected 'NAME: VALUE', got '" + header + "'");
            }
            builder.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        if (options.origin != null) {
            builder.header("Origin", options.origin);
        }
        if (options.proxy != null) {
            builder.proxy(Proxy.parse(options.proxy));
        } else if (!options.noProxy) {
            ProxyChooser environment = ProxyChooser.fromEnvironment();
            // A variable the URL would use that is no proxy URL is a bad option, refused before anything connects
            // (curl fails the transfer with "Unsupported proxy syntax"); one the URL does not use is not read.
            environment.choose(options.url);
            builder.proxyChooser(environment);
        }
        if (options.insecure || options.ca != null || options.cert != null) {
            builder.sslContext(TlsContexts.client(options.ca, options.cert, options.key, options.insecure));
        }
        if (options.insecure) {
            builder.tlsParameters(parameters -> parameters.setEndpointIdentificationAlgorithm(null));
        }
        return builder.build();
    }
}
