package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sockwave.testsupport.TestCertificates;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;

/**
 * wss:// through a proxy tunnel, the same for every kind of proxy: TLS runs end to end inside the tunnel, so the
 * certificate checked is the server's, for the server's host, never the proxy's.
 */
final class TlsThroughProxy {
    private TlsThroughProxy() {
    }

    /**
     * Echoes through {@code proxy} to a server on 127.0.0.1 whose certificate names 127.0.0.1 only; a proxy named
     * {@code localhost} then shows that the host verified is the server's.
     */
    static void echoes(Client client, Proxy proxy, Server tlsServer, TestCertificates certificates) throws Exception {
        ClientOptions options = ClientOptions.builder().sslContext(certificates.client()).proxy(proxy).build();
        Recorder recorder = new Recorder();
        Session session = client.connect(URI.create("wss://127.0.0.1:" + tlsServer.port() + "/echo"), options,
                recorder).get(10, TimeUnit.SECONDS);
        recorder.expectEchoAndClose(session);
    }

    /** A server whose certificate names another host is refused, through the tunnel, by the TLS handshake. */
    static void refusesACertificateForAnotherHost(Client client, Proxy proxy) throws Exception {
        TestCertificates other = TestCertificates.otherHost();
        try (Server wrongName = Server.builder().host("127.0.0.1").eventLoops(1).tls(other.server())
                .route("/echo", new EchoListener()).build().start()) {
            ClientOptions options = ClientOptions.builder().sslContext(other.client()).proxy(proxy).build();
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("wss://127.0.0.1:" + wrongName.port() + "/echo"), options, new Recorder())
                    .get(10, TimeUnit.SECONDS));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
        }
    }
}
