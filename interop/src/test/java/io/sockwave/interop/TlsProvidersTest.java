package io.sockwave.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.Client;
import io.sockwave.ClientOptions;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.protocol.ArrayPool;
import io.sockwave.testsupport.TestCertificates;
import io.sockwave.tls.TlsAdapter;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * wss:// with TLS providers other than the JDK's, handed to Sockwave as any {@link SSLContext} is, on the server, on
 * the client, and on both, against the JDK's provider on the other side, with the interop echo exercise (text and
 * binary, whole and in fragments, compressed or not): Conscrypt (BoringSSL, native) and BouncyCastle's JSSE (pure
 * Java). Their engines differ from the JDK's in ways the JDK's never shows: Conscrypt's reads a record header's
 * length in the byte order of the buffer it is given, for one.
 */
class TlsProvidersTest {
    private static final TestCertificates CERTIFICATES = TestCertificates.loopback();
    private static Provider conscrypt;
    private static Provider bouncyCastle;

    @BeforeAll
    static void loadProviders() {
        conscrypt = Conscrypt.newProvider();
        bouncyCastle = new BouncyCastleJsseProvider(new BouncyCastleProvider());
    }

    @ParameterizedTest(name = "server {0}, client {1}, {2}, compressed {3}")
    @CsvSource({
        "conscrypt, jdk, TLSv1.3, false",
        "jdk, conscrypt, TLSv1.3, false",
        "conscrypt, conscrypt, TLSv1.3, false",
        "conscrypt, conscrypt, TLSv1.2, false",
        "conscrypt, jdk, TLSv1.2, true",
        "jdk, conscrypt, TLSv1.3, true",
        "bouncycastle, jdk, TLSv1.3, false",
        "jdk, bouncycastle, TLSv1.3, true",
        "bouncycastle, conscrypt, TLSv1.2, false",
        "conscrypt, bouncycastle, TLSv1.3, true",
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

    /**
     * The engine's ciphertext goes in the kind of buffer its ciphers read in place: direct for a native engine, heap
     * for a pure-Java one, which would copy a direct buffer's bytes into an array of its own for every record.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk, true", "bouncycastle, true", "conscrypt, false"})
    void eachEngineGetsTheBuffersItsCiphersReadInPlace(String provider, boolean heap) throws Exception {
        SSLEngine engine = clientContext(provider).createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        assertEquals(heap, new TlsAdapter(engine, ArrayPool.HEAP).prefersHeapBuffers());
    }

    /**
     * A native engine given heap buffers, or several buffers to wrap at once, copies through a direct buffer of its
     * own, which Conscrypt allocates per engine (16 KiB, zeroed) and keeps while the engine lives: a cost at every
     * handshake. Sockwave gives it direct plaintext buffers and one direct buffer per record to wrap, so a server
     * of many open connections holds no direct buffer per connection. Counted with the JVM's direct buffer pool
     * while the connections are open, each after a message each way (so that each engine wrapped and unwrapped
     * application data: the 101 response, a text echo, the closing handshake later).
     */
    @Test
    void conscryptServerAllocatesNoDirectBufferPerConnection() throws Exception {
        int connections = 24;
        try (Server server = EchoPeers.echoServer(false, serverContext("conscrypt"));
             Client client = Client.create()) {
            URI uri = URI.create("wss://localhost:" + server.port() + "/echo");
            ClientOptions options = ClientOptions.builder().sslContext(CERTIFICATES.client()).build();
            // One connection first, so that the loops' own buffers exist before counting.
            echoOnce(client, uri, options).close(1000, "");
            long before = directBufferCount();
            List<Session> open = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                open.add(echoOnce(client, uri, options));
            }
            long grown = directBufferCount() - before;
            open.forEach(session -> session.close(1000, ""));
            assertTrue(grown < connections / 2, "direct buffers grew by " + grown + " for " + connections
                    + " open TLS connections");
        }
    }

    private static Session echoOnce(Client client, URI uri, ClientOptions options) throws Exception {
        CompletableFuture<String> echo = new CompletableFuture<>();
        Session session = client.connect(uri, options, new Listener() {
            @Override
            public void onText(Session s, String text) {
                echo.complete(text);
            }
        }).get(20, TimeUnit.SECONDS);
        session.sendText("ping").get(20, TimeUnit.SECONDS);
        assertEquals("ping", echo.get(20, TimeUnit.SECONDS));
        return session;
    }

    private static long directBufferCount() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getCount).sum();
    }

    private static SSLContext serverContext(String provider) throws GeneralSecurityException {
        if (provider.equals("jdk")) {
            return CERTIFICATES.server();
        }
        Provider chosen = provider(provider);
        KeyManagerFactory keys = chosen == bouncyCastle ? KeyManagerFactory.getInstance("PKIX", chosen)
                : KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(), TestCertificates.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS", chosen);
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext clientContext(String provider) throws GeneralSecurityException {
        if (provider.equals("jdk")) {
            return CERTIFICATES.client();
        }
        Provider chosen = provider(provider);
        TrustManagerFactory trust = chosen == bouncyCastle ? TrustManagerFactory.getInstance("PKIX", chosen)
                : TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(CERTIFICATES.trustStore());
        SSLContext context = SSLContext.getInstance("TLS", chosen);
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static Provider provider(String name) {
        return switch (name) {
            case "conscrypt" -> conscrypt;
            case "bouncycastle" -> bouncyCastle;
            default -> throw new IllegalArgumentException("no such provider in this test: " + name);
        };
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
