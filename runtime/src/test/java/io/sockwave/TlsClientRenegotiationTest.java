package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TLS client that starts a handshake again after the first one. In TLS 1.2 that is a renegotiation, whose key
 * exchange would cost the server a private-key operation on its event loop for a few hundred bytes from the client
 * (CVE-2011-1473): the server refuses it (RFC 5746 §4.4 allows that). TLS 1.3 has no renegotiation; its KeyUpdate
 * (RFC 8446 §4.6.3) is followed.
 */
class TlsClientRenegotiationTest {
    private final TestCertificates certificates = TestCertificates.loopback();
    private final Recorder recorder = new Recorder();
    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).tls(certificates.server())
                .route("/", recorder).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private EngineSocket upgraded(String protocol) throws Exception {
        EngineSocket raw = new EngineSocket(new Socket("127.0.0.1", server.port()), certificates.client(), true,
                protocol);
        raw.write(RawSocket.upgrade("/", ""));
        assertTrue(raw.readHead().startsWith("HTTP/1.1 101 "));
        recorder.expect("open");
        sendText(raw, "before");
        recorder.expect("text:before");
        return raw;
    }

    private static void sendText(EngineSocket raw, String text) throws IOException {
        raw.write(RawSocket.frame(0x81, text.getBytes(StandardCharsets.UTF_8), RawSocket.MASK));
    }

    @Test
    void aTls12RenegotiationTheClientStartsEndsTheConnection() throws Exception {
        try (EngineSocket raw = upgraded("TLSv1.2")) {
            raw.engine.beginHandshake();
            raw.write(new byte[0]);
            assertEquals("close:1006:TLS renegotiation refused: the client started one after the handshake",
                    recorder.awaitClose());
            String end;
            try {
                end = raw.readEnd();
            } catch (SSLException alert) {
                end = alert.getMessage();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not end the connection", e);
            }
            assertNotNull(end);
        }
    }

    @Test
    void tls13KeyUpdatesTheClientStartsAreFollowed() throws Exception {
        try (EngineSocket raw = upgraded("TLSv1.3")) {
            for (int i = 0; i < 10; i++) {
                raw.rehandshake();
                sendText(raw, "after " + i);
                recorder.expect("text:after " + i);
            }
            recorder.session().sendBinary(ByteBuffer.wrap(new byte[] {7}));
            assertEquals(7, raw.readSmallFrame()[1]);
        }
    }
}
