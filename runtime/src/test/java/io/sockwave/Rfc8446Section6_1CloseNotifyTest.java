package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RFC 8446 §6.1: "Each party MUST send a "close_notify" alert before closing its write side of the connection,
 * unless it has already sent some error alert." RFC 5246 §7.2.1 likewise. The peer here is an SSLEngine over a
 * plain socket ({@link EngineSocket}), which tells a close_notify from a bare TCP FIN: a JDK SSLSocket's read()
 * returns -1 for both. Both sides, whichever closes first, in TLS 1.2 and 1.3.
 */
class Rfc8446Section6_1CloseNotifyTest {
    private final TestCertificates certificates = TestCertificates.loopback();

    private static java.net.ServerSocket listen() throws IOException {
        java.net.ServerSocket s = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Accepts the client's connection as a TLS server speaking {@code protocol}, and answers its upgrade: 101. */
    private EngineSocket accept101(java.net.ServerSocket listening, String protocol) throws Exception {
        EngineSocket raw = new EngineSocket(listening.accept(), certificates.server(), false, protocol);
        raw.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + RawSocket.acceptFor(raw.readHead()) + "\r\n\r\n");
        return raw;
    }

    private ClientOptions trusting() {
        return ClientOptions.builder().sslContext(certificates.client()).build();
    }

    @Test
    void clientSendsCloseNotifyWhenTheServerClosesFirst() throws Exception {
        clientSendsCloseNotifyAfterTheClosingHandshake(false);
    }

    @Test
    void clientSendsCloseNotifyWhenItClosesFirst() throws Exception {
        clientSendsCloseNotifyAfterTheClosingHandshake(true);
    }

    /**
     * Whichever side starts the closing handshake, the server then closes its side of TCP first (RFC 6455 §7.1.1):
     * close_notify, then FIN; the client must still send its own close_notify before its FIN.
     */
    private void clientSendsCloseNotifyAfterTheClosingHandshake(boolean clientFirst) throws Exception {
        String reason = clientFirst ? "done" : "bye";
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (java.net.ServerSocket listening = listen(); Client client = Client.create()) {
                Recorder recorder = new Recorder();
                var connecting = client.connect(URI.create("wss://127.0.0.1:" + listening.getLocalPort() + "/"),
                        trusting(), recorder);
                try (EngineSocket raw = accept101(listening, protocol)) {
                    Session session = connecting.get(10, TimeUnit.SECONDS);
                    recorder.expect("open");
                    if (clientFirst) {
                        session.close(1000, reason);
                        assertEquals((byte) 0x88, raw.readSmallFrame()[0]);
                    }
                    raw.write(RawSocket.frame(0x88, RawSocket.closePayload(1000, reason), false));
                    if (!clientFirst) {
                        assertEquals((byte) 0x88, raw.readSmallFrame()[0], "the client's reply");
                    }
                    raw.closeNotify();
                    raw.socket.shutdownOutput();
                    String end = raw.readEnd();
                    assertEquals("close:1000:" + reason, recorder.awaitClose());
                    assertEquals("close_notify", end, protocol + ": the client closed without close_notify");
                }
            }
        }
    }

    /** The peer ends TLS (close_notify) without a close frame: we answer with close_notify, not a bare FIN. */
    @Test
    void serverAnswersAPeersCloseNotify() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).tls(certificates.server())
                    .route("/echo", new EchoListener()).build().start()) {
                try (EngineSocket raw = new EngineSocket(new java.net.Socket("127.0.0.1", server.port()),
                        certificates.client(), true, protocol)) {
                    raw.write(RawSocket.upgrade("/echo", ""));
                    assertTrue(raw.readHead().startsWith("HTTP/1.1 101"));
                    raw.closeNotify();
                    assertEquals("close_notify", raw.readEnd(), protocol + ": the server closed without close_notify");
                }
            }
        }
    }

    /** The server's own close after the closing handshake it started. */
    @Test
    void serverSendsCloseNotifyWhenItClosesFirst() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).tls(certificates.server())
                    .route("/x", new Listener() {
                        @Override
                        public void onOpen(Session session) {
                            session.close(1000, "server");
                        }
                    }).build().start()) {
                try (EngineSocket raw = new EngineSocket(new java.net.Socket("127.0.0.1", server.port()),
                        certificates.client(), true, protocol)) {
                    raw.write(RawSocket.upgrade("/x", ""));
                    assertTrue(raw.readHead().startsWith("HTTP/1.1 101"));
                    assertEquals((byte) 0x88, raw.readSmallFrame()[0]);
                    raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
                    assertEquals("close_notify", raw.readEnd(), protocol);
                }
            }
        }
    }
}
