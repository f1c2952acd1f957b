package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.TestCertificates;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Server.Builder#tlsParameters}: what the SSL context alone cannot say, here mutual TLS. The server asks for a
 * client certificate (RFC 8446 §4.3.2), its trust managers verify it, and the upgrade hook authorizes the session by
 * it; a client without one never reaches the hook. The parameters also choose the protocol versions allowed.
 */
class MutualTlsTest {
    private static final TestCertificates SERVER = TestCertificates.loopback();
    /** The client's identity: a certificate of its own, for other.example. */
    private static final TestCertificates CLIENT = TestCertificates.otherHost();
    private static final AttributeKey<String> SUBJECT = AttributeKey.of("subject", String.class);

    private final Recorder serverSide = new Recorder();
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void startServer(String protocol) throws Exception {
        UpgradeHook byCertificate = UpgradeHook.of(request -> {
            try {
                X509Certificate peer = (X509Certificate) request.sslSession().getPeerCertificates()[0];
                return UpgradeDecision.accept().withAttribute(SUBJECT,
                        peer.getSubjectX500Principal().getName() + " over " + request.sslSession().getProtocol());
            } catch (SSLPeerUnverifiedException e) {
                return UpgradeDecision.reject(403, "a client certificate is required");
            }
        });
        server = Server.builder().host("127.0.0.1").eventLoops(1).tls(context(SERVER, CLIENT))
                .tlsParameters(p -> {
                    p.setNeedClientAuth(true);
                    p.setProtocols(new String[] {protocol});
                })
                .route("/who", byCertificate, new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        session.sendText(session.attribute(SUBJECT));
                    }
                })
                .build().start();
    }

    /** @return a context with {@code own}'s key, trusting only {@code trusted}'s certificate */
    private static SSLContext context(TestCertificates own, TestCertificates trusted) throws Exception {
        KeyStore keys = KeyStore.getInstance(own.keyStore().toFile(), TestCertificates.PASSWORD.toCharArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, TestCertificates.PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted.trustStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private URI uri() {
        return URI.create("wss://localhost:" + server.port() + "/who");
    }

    @Test
    void aClientWithACertificateTheServerTrustsIsAuthorizedByIt() throws Exception {
        startServer("TLSv1.3");
        Recorder client = new Recorder();
        try (Client c = Client.create()) {
            c.connect(uri(), ClientOptions.builder().sslContext(context(CLIENT, SERVER)).build(), client)
                    .get(10, TimeUnit.SECONDS);
            client.expect("open");
            String text = client.next();
            assertTrue(text.startsWith("text:CN="), text);
            assertTrue(text.endsWith(" over TLSv1.3"), text);
        }
    }

    @Test
    void theParametersChooseTheProtocolVersion() throws Exception {
        startServer("TLSv1.2");
        Recorder client = new Recorder();
        try (Client c = Client.create()) {
            c.connect(uri(), ClientOptions.builder().sslContext(context(CLIENT, SERVER)).build(), client)
                    .get(10, TimeUnit.SECONDS);
            client.expect("open");
            assertTrue(client.next().endsWith(" over TLSv1.2"));
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedByTheTlsHandshake() throws Exception {
        startServer("TLSv1.3");
        try (Client c = Client.create()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> c.connect(uri(),
                    ClientOptions.builder().sslContext(SERVER.client()).build(), new Recorder())
                    .get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof java.io.IOException, e.getCause().toString());
        }
        assertEquals(0, server.stats().sessions());
    }

    @Test
    void aCustomizerThatThrowsClosesTheConnectionNotTheServer() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).tls(SERVER.server())
                .tlsParameters(p -> {
                    throw new IllegalStateException("broken customizer");
                })
                .route("/who", serverSide).build().start();
        try (Client c = Client.create()) {
            for (int i = 0; i < 3; i++) {
                assertThrows(ExecutionException.class, () -> c.connect(uri(),
                        ClientOptions.builder().sslContext(SERVER.client()).build(), new Recorder())
                        .get(10, TimeUnit.SECONDS));
            }
        }
        assertEquals(0, server.stats().connections());
    }
}
