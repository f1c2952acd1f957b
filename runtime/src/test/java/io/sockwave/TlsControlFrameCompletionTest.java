package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.TestCertificates;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * A ping queued behind a large message goes ahead of it on the wire (RFC 6455 §5.5: control frames may be injected
 * between the frames of a message, here before a data frame not yet begun). Once its bytes have left, its future
 * completes, also under TLS, where the engine encrypts the ping and the start of the data frame in one round and
 * the queue must not mistake the ping for something behind a partly written frame.
 */
class TlsControlFrameCompletionTest {
    private final TestCertificates certificates = TestCertificates.loopback();

    @Test
    void aPingWrittenAheadOfABroadcastCompletesPlain() throws Exception {
        pingAheadOfBroadcast(null);
    }

    @Test
    void aPingWrittenAheadOfABroadcastCompletesTls() throws Exception {
        pingAheadOfBroadcast(certificates.client());
    }

    private void pingAheadOfBroadcast(SSLContext tls) throws Exception {
        CompletableFuture<CompletableFuture<Void>> ping = new CompletableFuture<>();
        PreparedMessage big = PreparedMessage.binary(ByteBuffer.allocate(8 << 20));
        Listener listener = new Listener() {
            @Override
            public void onText(Session session, String text) {
                // One turn: the broadcast's frame (data lane, not begun) and then a ping (control lane, goes first).
                Server.broadcast(List.of(session), big);
                ping.complete(session.ping(ByteBuffer.wrap("p".getBytes(StandardCharsets.UTF_8))));
            }
        };
        Server.Builder builder = Server.builder().host("127.0.0.1").eventLoops(1).route("/", listener)
                .outboundBuffer(64 << 10, 1 << 20, 1L << 30);
        if (tls != null) {
            builder.tls(certificates.server());
        }
        try (Server s = builder.build().start();
             RawSocket raw = RawSocket.connect(s.port(), tls, true).open("/")) {
            raw.write(RawSocket.masked(0x81, "go"));
            RawSocket.Frame first = raw.readFrame();
            assertEquals(0x89, first.b0(), "the ping goes ahead of the broadcast");
            // The client has the ping: its bytes left the server. It reads nothing more for now.
            CompletableFuture<Void> pinged = ping.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 1000 && !pinged.isDone(); i++) {
                Thread.sleep(10);
            }
            assertTrue(pinged.isDone(), "the ping's future, 10 s after the peer read the ping");
        }
    }
}
