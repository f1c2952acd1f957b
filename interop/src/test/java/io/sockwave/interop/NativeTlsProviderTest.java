package io.sockwave.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sockwave.Client;
import io.sockwave.ClientOptions;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.TestCertificates;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * wss:// with a native TLS provider: Conscrypt (BoringSSL) handed to Sockwave as any {@link SSLContext} is, on the
 * server, on the client, and on both, against the JDK's provider on the other side. Its engine reports buffer
 * underflows, handshake states and close_notify differently from the JDK's, which is what this guards.
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
        Server.Builder builder = Server.builder().host("127.0.0.1").eventLoops(1)
                .tls(serverContext(serverProvider)).route("/echo", new Echo());
        if (compressed) {
            builder.extensions(PerMessageDeflate.defaults());
        }
        Client client = Client.create();
        try (Server server = builder.build().start()) {
            ClientOptions.Builder options = ClientOptions.builder().sslContext(clientContext(clientProvider))
                    .tlsParameters(p -> p.setProtocols(new String[] {protocol}));
            if (compressed) {
                options.extensions(PerMessageDeflate.defaults());
            }
            Received received = new Received();
            Session session = client.connect(URI.create("wss://localhost:" + server.port() + "/echo"),
                    options.build(), received).get(10, TimeUnit.SECONDS);

            for (int i = 0; i < 50; i++) {
                session.sendText("message " + i);
            }
            // Past a TLS record (16 KiB) and the loops' buffers: many records, many reads, in both directions.
            byte[] large = new byte[1 << 20];
            new Random(6455).nextBytes(large);
            session.sendBinary(ByteBuffer.wrap(large));
            String wide = "€𝄞".repeat(40_000);
            session.sendText(wide);

            for (int i = 0; i < 50; i++) {
                assertEquals("message " + i, received.next());
            }
            assertArrayEquals(large, (byte[]) received.next());
            assertEquals(wide, received.next());
            session.close();
            assertEquals("close 1000", received.next());
        } finally {
            client.close();
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

    private static final class Echo implements Listener {
        @Override
        public void onText(Session session, String text) {
            session.sendText(text);
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            session.sendBinary(data);
        }
    }

    /** What the client received, in order: texts, binary payloads as arrays, and the close. */
    private static final class Received implements Listener {
        private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void onText(Session session, String text) {
            events.add(text);
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            events.add(bytes);
        }

        @Override
        public void onError(Session session, Throwable error) {
            events.add("error " + error);
        }

        @Override
        public void onClose(Session session, int code, String reason) {
            events.add("close " + code);
        }

        Object next() throws InterruptedException {
            Object event = events.poll(20, TimeUnit.SECONDS);
            assertNotNull(event, "nothing received within 20 s");
            return event;
        }
    }
}
