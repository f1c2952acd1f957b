package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionSettings#autoPong(boolean) autoPong(false)}, byte by byte on the wire: a ping is not answered by the
 * runtime but handed to {@link Listener#onPing}, and the pong the listener sends with {@link Session#pong} is the
 * one that goes out (RFC 6455 §5.5.2, §5.5.3). The default answers at once, with the ping's payload.
 */
class AutoPongOffTest {
    @Test
    void aPingIsAnsweredOnlyByTheListenersPongWhenAutoPongIsOff() throws Exception {
        CompletableFuture<String> pinged = new CompletableFuture<>();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).autoPong(false)
                .route("/", new Listener() {
                    @Override
                    public void onPing(Session session, ByteBuffer payload) {
                        pinged.complete(StandardCharsets.UTF_8.decode(payload.duplicate()).toString());
                    }

                    @Override
                    public void onText(Session session, String text) {
                        session.pong(ByteBuffer.wrap(("mine:" + text).getBytes(StandardCharsets.UTF_8)));
                    }
                }).build().start();
             RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x89, "are you there"));
            assertEquals("are you there", pinged.get(10, TimeUnit.SECONDS));
            // Had a pong gone out on its own, it would be read here ahead of the listener's.
            raw.write(RawSocket.masked(0x81, "answer"));
            RawSocket.Frame pong = raw.readFrame();
            assertEquals(0x8A, pong.b0());
            assertArrayEquals("mine:answer".getBytes(StandardCharsets.UTF_8), pong.payload());
        }
    }

    @Test
    void byDefaultAPingIsAnsweredWithItsPayload() throws Exception {
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new Listener() { })
                .build().start();
             RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x89, "are you there"));
            RawSocket.Frame pong = raw.readFrame();
            assertEquals(0x8A, pong.b0());
            assertArrayEquals("are you there".getBytes(StandardCharsets.UTF_8), pong.payload());
        }
    }
}
