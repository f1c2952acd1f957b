package io.sockwave.bench.peers.load;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The load generator's TLS, the same against every server: the JDK's provider (so that the generator takes no
 * native library's side), TLS 1.3 with the one cipher suite every TLS 1.3 implementation must have,
 * {@code TLS_AES_128_GCM_SHA256} (RFC 8446 §9.1), so that every server does the same cryptography whatever its own
 * preference order (the JDK's server would pick AES-256, BoringSSL AES-128). The servers' self-signed certificates
 * are trusted without a check: the benchmark measures the servers' side of TLS, not the generator's verification.
 */
final class WssContext {
    /** The protocol every wss:// connection speaks. */
    static final String PROTOCOL = "TLSv1.3";
    /** The cipher suite every wss:// connection uses. */
    static final String CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";

    private static final SslContext CONTEXT = build();

    private WssContext() {
    }

    /** @return the generator's client context */
    static SslContext get() {
        return CONTEXT;
    }

    private static SslContext build() {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOL)
                    .ciphers(List.of(CIPHER_SUITE))
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("the JDK's TLS client context could not be made", e);
        }
    }
}
