package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.testsupport.TestCertificates;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A TLS server peer that rekeys (TLS 1.3 KeyUpdate, RFC 8446 §4.6.3) ten times, or renegotiates (TLS 1.2) once,
 * mid-session: the client follows both; a second renegotiation it refuses ({@code TlsServerRenegotiationTest}).
 */
class TlsPeerRekeyTest {
    private final TestCertificates certificates = TestCertificates.loopback();

    @Test
    void clientFollowsTheServersKeyUpdatesAndRenegotiation() throws Exception {
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                 Client client = Client.create()) {
                listening.setSoTimeout(10_000);
                Listener echo = new Listener() {
                    @Override
                    public void onText(Session session, String text) {
                        session.sendText(text);
                    }
                };
                var connecting = client.connect(URI.create("wss://127.0.0.1:" + listening.getLocalPort() + "/"),
                        ClientOptions.builder().sslContext(certificates.client()).build(), echo);
                try (EngineSocket raw = new EngineSocket(listening.accept(), certificates.server(), false,
                        protocol)) {
                    raw.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + RawSocket.acceptFor(raw.readHead()) + "\r\n\r\n");
                    Session session = connecting.get(10, TimeUnit.SECONDS);
                    int rekeys = protocol.equals("TLSv1.3") ? 10 : TlsServerRenegotiationTest.FOLLOWED;
                    for (int i = 0; i < rekeys; i++) {
                        raw.write(RawSocket.frame(0x81, ("k" + i).getBytes(), false));
                        raw.rehandshake();
                        raw.write(RawSocket.frame(0x81, ("after" + i).getBytes(), false));
                        assertEquals("k" + i, new String(raw.readSmallFrame(), 1, 1 + ("k" + i).length() - 1 + 0)
                                .substring(0));
                        assertEquals("after" + i, new String(raw.readSmallFrame()).substring(1), protocol);
                    }
                    session.abort();
                }
            }
        }
    }
}
