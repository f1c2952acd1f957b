package io.sockwave.bench.peers.server;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.conscrypt.Conscrypt;

/**
 * Who does a wss:// server's TLS: the JDK's own provider, Conscrypt (BoringSSL behind a plain {@link SSLContext},
 * the way Sockwave's README shows a native provider), or Netty's {@code netty-tcnative} (BoringSSL through Netty's
 * own {@code OpenSslEngine}, which Netty and Vert.x use directly and Sockwave through {@link TcnativeSslContext}). Each server keeps its provider's defaults for
 * protocols and cipher suites; the load generator is the one that pins them (see the README's wss:// section).
 */
public enum TlsProvider {
    /** The JDK's SunJSSE. */
    JDK,
    /** Conscrypt, {@code org.conscrypt:conscrypt-openjdk-uber}. */
    CONSCRYPT,
    /** Netty's {@code netty-tcnative-boringssl-static}. */
    OPENSSL;

    /** @return the name used on the command line, e.g. {@code conscrypt} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id a name as {@link #id()} returns it
     * @return the provider
     * @throws IllegalArgumentException for an unknown name
     */
    public static TlsProvider of(String id) {
        return Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown TLS provider " + id + "; known: "
                        + Arrays.stream(values()).map(TlsProvider::id).toList()));
    }

    /**
     * @param certificate the server's key and certificate
     * @return a server context of this provider, for a server that takes any {@link SSLContext} (Sockwave); for
     *     {@link #OPENSSL}, tcnative's engines behind one (see {@link TcnativeSslContext})
     * @throws GeneralSecurityException if the provider cannot make one
     */
    SSLContext sslContext(BenchCertificate certificate) throws GeneralSecurityException {
        if (this == OPENSSL) {
            try {
                return new TcnativeSslContext(nettyContext(certificate));
            } catch (SSLException e) {
                throw new GeneralSecurityException("netty-tcnative cannot make a server context", e);
            }
        }
        if (this == JDK) {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(certificate.keyStore(), certificate.password());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        }
        Provider conscrypt = Conscrypt.newProvider();
        SSLContext context = SSLContext.getInstance("TLS", conscrypt);
        context.init(new KeyManager[] {conscryptKeys(conscrypt, certificate)}, null, null);
        return context;
    }

    /**
     * The key as Conscrypt's own KeyFactory makes it, for both servers on Conscrypt, as the main README's TLS
     * section advises (see {@link FixedKeyManager}); tcnative's context keeps its key in native form likewise.
     */
    private static KeyManager conscryptKeys(Provider conscrypt, BenchCertificate certificate)
            throws GeneralSecurityException {
        PrivateKey key = KeyFactory.getInstance(certificate.key().getAlgorithm(), conscrypt)
                .generatePrivate(new PKCS8EncodedKeySpec(certificate.key().getEncoded()));
        return new FixedKeyManager(key, certificate.certificate());
    }

    /**
     * @param certificate the server's key and certificate
     * @return a Netty server context of this provider: Netty's JDK engine, the same with Conscrypt's
     *     {@code SSLContext} under it, or tcnative's {@code OpenSslEngine}
     * @throws SSLException if the provider cannot make one (tcnative's library did not load)
     */
    SslContext nettyContext(BenchCertificate certificate) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(certificate.key(), certificate.certificate());
        return switch (this) {
            case JDK -> builder.sslProvider(SslProvider.JDK).build();
            case CONSCRYPT -> {
                Provider conscrypt = Conscrypt.newProvider();
                try {
                    yield SslContextBuilder.forServer(conscryptKeys(conscrypt, certificate))
                            .sslProvider(SslProvider.JDK).sslContextProvider(conscrypt).build();
                } catch (GeneralSecurityException e) {
                    throw new SSLException("Conscrypt cannot take the key", e);
                }
            }
            case OPENSSL -> {
                OpenSsl.ensureAvailability();
                yield builder.sslProvider(SslProvider.OPENSSL).build();
            }
        };
    }
}
