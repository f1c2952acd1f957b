package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sockwave.testsupport.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** wss:// end to end through {@link io.sockwave.tls.TlsAdapter} on both sides, with a test-made certificate. */
class TlsEndToEndTest {
    private final TestCertificates certificates = TestCertificates.loopback();
    private Server server;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).tls(certificates.server())
                .route("/echo", new EchoListener()).build().start();
        client = Client.create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private ClientOptions trusting(String protocol) {
        return ClientOptions.builder().sslContext(certificates.client())
                .tlsParameters(p -> p.setProtocols(new String[] {protocol})).build();
    }

    private void echoes(URI uri, ClientOptions options) throws Exception {
        Recorder recorder = new Recorder();
        Session session = client.connect(uri, options, recorder).get(10, TimeUnit.SECONDS);
        recorder.expect("open");
        for (int i = 0; i < 20; i++) {
            session.sendText("secret " + i);
        }
        // Larger than a TLS record (16 KiB) and than the loop's buffers: spans many records and reads.
        session.sendBinary(ByteBuffer.wrap(new byte[200_000]));
        for (int i = 0; i < 20; i++) {
            recorder.expect("text:secret " + i);
        }
        recorder.expect("binary:200000");
        session.close();
        assertEquals("close:1000:", recorder.awaitClose());
    }

    @Test
    void tls13EchoWithHostNameVerification() throws Exception {
        echoes(URI.create("wss://127.0.0.1:" + server.port() + "/echo"), trusting("TLSv1.3"));
        echoes(URI.create("wss://localhost:" + server.port() + "/echo"), trusting("TLSv1.3"));
    }

    @Test
    void tls12Echo() throws Exception {
        echoes(URI.create("wss://127.0.0.1:" + server.port() + "/echo"), trusting("TLSv1.2"));
    }

    @Test
    void recordsCutIntoTinyTcpSegmentsAreReassembled() throws Exception {
        try (ChoppingProxy proxy = new ChoppingProxy(server.port())) {
            Recorder recorder = new Recorder();
            Session session = client.connect(URI.create("wss://127.0.0.1:" + proxy.port() + "/echo"),
                    trusting("TLSv1.3"), recorder).get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            session.sendText("chopped");
            session.sendBinary(ByteBuffer.wrap(new byte[3000]));
            recorder.expect("text:chopped");
            recorder.expect("binary:3000");
            session.close();
            assertEquals("close:1000:", recorder.awaitClose());
        }
    }

    @Test
    void certificateForAnotherHostIsRefusedByDefault() throws Exception {
        TestCertificates other = TestCertificates.otherHost();
        try (Server wrongName = Server.builder().host("127.0.0.1").eventLoops(1).tls(other.server())
                .route("/echo", new EchoListener()).build().start()) {
            ClientOptions options = ClientOptions.builder().sslContext(other.client()).build();
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("wss://127.0.0.1:" + wrongName.port() + "/echo"), options, new Recorder())
                    .get(10, TimeUnit.SECONDS));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
            assertEquals(0, awaitConnections(wrongName), "the refused connection is released on the server");
        }
    }

    @Test
    void untrustedCertificateIsRefusedWithTheJvmDefaults() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                URI.create("wss://127.0.0.1:" + server.port() + "/echo"), new Recorder())
                .get(10, TimeUnit.SECONDS));
        assertInstanceOf(SSLHandshakeException.class, e.getCause());
    }

    @Test
    void jdkClientTalksToTheTlsServer() throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        HttpClient http = HttpClient.newBuilder().sslContext(certificates.client()).build();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("wss://localhost:" + server.port() + "/echo"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        echoed.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("over TLS", true);
        assertEquals("over TLS", echoed.get(10, TimeUnit.SECONDS));
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    static int awaitConnections(Server server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().connections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return server.stats().connections();
    }
}
