package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sockwave.testsupport.ExternalProgram;
import io.sockwave.testsupport.TestCertificates;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every proxy test shares: a ws:// and a wss:// echo server on 127.0.0.1, a client, the proxy processes a test
 * starts (closed after it), and the wss:// checks that are the same for every kind of proxy: TLS runs end to end
 * inside the tunnel, so the certificate checked is the server's, for the server's host, never the proxy's.
 */
abstract class ProxiedEchoServers {
    /** The wss:// server's certificate, naming 127.0.0.1 only. */
    static final TestCertificates CERTIFICATES = TestCertificates.loopbackAddressOnly();

    Server server;
    Server tlsServer;
    Client client;
    /** Proxies the test started; each is closed after the test. */
    final List<ExternalProgram> proxies = new ArrayList<>();

    @BeforeEach
    void startServers() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).route("/echo", new EchoListener()).build().start();
        tlsServer = Server.builder().host("127.0.0.1").eventLoops(1).tls(CERTIFICATES.server())
                .route("/echo", new EchoListener()).build().start();
        client = Client.create();
    }

    @AfterEach
    void stopServersAndProxies() {
        client.close();
        server.close();
        tlsServer.close();
        proxies.forEach(ExternalProgram::close);
    }

    /**
     * Echoes through {@code proxy} to the wss:// server, whose certificate names 127.0.0.1 only; a proxy named
     * {@code localhost} then shows that the host verified is the server's.
     */
    void echoesOverTlsThrough(Proxy proxy) throws Exception {
        ClientOptions options = ClientOptions.builder().sslContext(CERTIFICATES.client()).proxy(proxy).build();
        Recorder recorder = new Recorder();
        Session session = client.connect(URI.create("wss://127.0.0.1:" + tlsServer.port() + "/echo"), options,
                recorder).get(10, TimeUnit.SECONDS);
        recorder.expectEchoAndClose(session);
    }

    /** A server whose certificate names another host is refused, through the tunnel, by the TLS handshake. */
    void refusesACertificateForAnotherHostThrough(Proxy proxy) throws Exception {
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
