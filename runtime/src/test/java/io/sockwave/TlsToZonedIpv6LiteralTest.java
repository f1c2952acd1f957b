package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sockwave.testsupport.LoopbackPorts;
import io.sockwave.testsupport.TestCertificates;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * wss:// to an IPv6 literal with a zone ({@code wss://[::1%25lo]:port/}, RFC 6874): the zone picks the local
 * interface and means nothing to the server or to TLS. The client's SSLEngine is made for the address without the
 * zone, sends no SNI for it (RFC 6066 §3: literal IPv4 and IPv6 addresses are not permitted in "HostName"), and
 * endpoint identification ("HTTPS", RFC 2818 §3.1) matches the certificate's iPAddress entry against the address.
 */
class TlsToZonedIpv6LiteralTest {
    private Server server;
    private String zone;

    @BeforeEach
    void ipv6Loopback() throws Exception {
        assumeTrue(LoopbackPorts.hasIpv6Loopback(), "no ::1 here");
        NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getByName("::1"));
        assumeTrue(loopback != null, "no interface holds ::1");
        zone = loopback.getName();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Records, at the trust decision, what the engine was made for and whether it identifies the endpoint. */
    private static final class RecordingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager trusting;
        final CompletableFuture<String> peerHost = new CompletableFuture<>();
        final CompletableFuture<String> identification = new CompletableFuture<>();

        RecordingTrustManager(TestCertificates trusted) throws Exception {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted.trustStore());
            trusting = (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        }

        SSLContext context() throws Exception {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            peerHost.complete(engine.getPeerHost());
            identification.complete(engine.getSSLParameters().getEndpointIdentificationAlgorithm());
            // The JDK's trust manager checks the chain and, for "HTTPS", the certificate against the peer host.
            trusting.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("only engines here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("only engines here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trusting.getAcceptedIssuers();
        }
    }

    /** @param sniSeen receives the server names the client sent, as the server's TLS session has them */
    private void start(TestCertificates certificate, CompletableFuture<List<SNIServerName>> sniSeen)
            throws Exception {
        server = Server.builder().host("::1").port(0).eventLoops(1).tls(certificate.server())
                .upgradeHook(UpgradeHook.of(request -> {
                    sniSeen.complete(((ExtendedSSLSession) request.sslSession()).getRequestedServerNames());
                    return UpgradeDecision.accept();
                }))
                .route("/", new EchoListener()).build().start();
    }

    private URI zoned() {
        return URI.create("wss://[::1%25" + zone + "]:" + server.port() + "/");
    }

    @Test
    void theEngineIsMadeForTheAddressWithoutTheZoneSendsNoSniAndMatchesTheIpSubjectAltName() throws Exception {
        CompletableFuture<List<SNIServerName>> sni = new CompletableFuture<>();
        start(TestCertificates.ipv6LoopbackOnly(), sni);
        RecordingTrustManager trust = new RecordingTrustManager(TestCertificates.ipv6LoopbackOnly());
        Recorder recorder = new Recorder();
        try (Client client = Client.create()) {
            Session session = client.connect(zoned(), ClientOptions.builder().sslContext(trust.context()).build(),
                    recorder).get(10, TimeUnit.SECONDS);
            session.sendText("over TLS to ::1");
            recorder.expect("open");
            recorder.expect("text:over TLS to ::1");
        }
        assertEquals("::1", trust.peerHost.getNow("none"), "the SSLEngine's peer host");
        assertEquals("HTTPS", trust.identification.getNow("none"));
        assertEquals(List.of(), sni.get(10, TimeUnit.SECONDS), "RFC 6066 §3: no SNI for an IP literal");
    }

    @Test
    void aCertificateForAnotherAddressIsRefused() throws Exception {
        start(TestCertificates.loopbackAddressOnly(), new CompletableFuture<>());
        RecordingTrustManager trust = new RecordingTrustManager(TestCertificates.loopbackAddressOnly());
        try (Client client = Client.create()) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> client.connect(zoned(),
                    ClientOptions.builder().sslContext(trust.context()).build(), new Recorder())
                    .get(10, TimeUnit.SECONDS));
            assertInstanceOf(SSLHandshakeException.class, failed.getCause(), String.valueOf(failed.getCause()));
        }
        assertEquals("::1", trust.peerHost.getNow("none"), "the SSLEngine's peer host");
    }
}
