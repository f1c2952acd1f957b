package io.sockwave.interop;

import io.sockwave.ClientOptions;
import io.sockwave.Server;
import io.sockwave.testsupport.TestCertificates;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * wss:// with a native TLS provider: Conscrypt (BoringSSL) handed to Sockwave as any {@link SSLContext} is, on the
 * server, on the client, and on both, against the JDK's provider on the other side, with the interop echo exercise
 * (text and binary, whole and in fragments, compressed or not). Its engine differs from the JDK's in ways the JDK's
 * never shows: it reads a record header's length in the byte order of the buffer it is given, for one.
 */
class NativeTlsProviderTest {
    private static final TestCertificates CERTIFICATES = TestCertificates.loopback();
    private static Provider conscrypt;

    @BeforeAll
    static void loadConscrypt() {
        conscrypt = Conscrypt.newProvider();
    }

    @ParameterizedTest(name = "server {0}, client {1}, {2}, compressed {3}")
    @CsvSource({
        "conscrypt, jdk, TLSv1.3, false",
        "jdk, conscrypt, TLSv1.3, false",
        "conscrypt, conscrypt, TLSv1.3, false",
        "conscrypt, conscrypt, TLSv1.2, false",
        "conscrypt, jdk, TLSv1.2, true",
        "jdk, conscrypt, TLSv1.3, true",
    })
    void echoesEveryMessageAndClosesCleanly(String serverProvider, String clientProvider, String protocol,
            boolean compressed) throws Exception {
        try (Server server = EchoPeers.echoServer(compressed, serverContext(serverProvider))) {
            ClientOptions.Builder options = ClientOptions.builder().sslContext(clientContext(clientProvider))
                    .tlsParameters(p -> p.setProtocols(new String[] {protocol}));
            EchoPeers.exerciseEchoServer(URI.create("wss://localhost:" + server.port() + "/echo"), compressed,
                    options);
        }
    }

    private static SSLContext serverContext(String provider) throws GeneralSecurityException {
        if (provider.equals("jdk")) {
            return CERTIFICATES.server();
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(), TestCertificates.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS", conscrypt);
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext clientContext(String provider) throws GeneralSecurityException {
        if (provider.equals("jdk")) {
            return CERTIFICATES.client();
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(CERTIFICATES.trustStore());
        SSLContext context = SSLContext.getInstance("TLS", conscrypt);
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static java.security.KeyStore keyStore() throws GeneralSecurityException {
        try {
            return java.security.KeyStore.getInstance(CERTIFICATES.keyStore().toFile(),
                    TestCertificates.PASSWORD.toCharArray());
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot read the test key store", e);
        }
    }
}
