package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The defaults of {@code outboundBuffer(low, high, limit)} that README.md and {@link SessionSettings} state: the
 * session turns unwritable at 64 KiB queued, and a send past 4 MiB fails with
 * {@link OutboundLimitExceededException} ({@link OutboundLimitPolicy#FAIL_SEND}, the default). Measured from
 * {@code onOpen}, on the event loop, where nothing is written before the callback returns, so the queue holds every
 * byte sent and the bounds are met exactly, whatever the machine's speed.
 */
class OutboundBufferDefaultsTest {
    private static final int HIGH_WATERMARK = 64 * 1024;
    private static final int LIMIT = 4 * 1024 * 1024;
    private static final int PAYLOAD = 1000;
    /** A binary frame from server to client: 2 bytes of header, 2 of extended length, no mask (RFC 6455 §5.2). */
    private static final int FRAME = PAYLOAD + 4;

    @Test
    void unwritableAt64KiBAndSendsRefusedPast4MiB() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Listener filler = new Listener() {
            @Override
            public void onOpen(Session session) {
                try {
                    outcome.complete(fill(session));
                } catch (Throwable e) {
                    outcome.completeExceptionally(e);
                }
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/fill", filler).build()
                .start(); Client client = Client.create()) {
            client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/fill"), new Recorder())
                    .get(10, TimeUnit.SECONDS);
            assertEquals("ok", outcome.get(10, TimeUnit.SECONDS));
        }
    }

    private static String fill(Session session) {
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD);
        long queued = 0;
        while (session.isWritable()) {
            session.sendBinary(payload.duplicate());
            queued += FRAME;
            assertEquals(queued, session.queuedBytes());
        }
        assertTrue(queued >= HIGH_WATERMARK && queued - FRAME < HIGH_WATERMARK,
                "unwritable at " + queued + " queued bytes");
        CompletableFuture<Void> refused;
        do {
            refused = session.sendBinary(payload.duplicate());
        } while (!refused.isCompletedExceptionally());
        long held = session.queuedBytes();
        assertTrue(held <= LIMIT && held + FRAME > LIMIT, "refused with " + held + " queued bytes");
        CompletableFuture<Void> failed = refused;
        CompletionException e = assertThrows(CompletionException.class, failed::join);
        assertInstanceOf(OutboundLimitExceededException.class, e.getCause());
        assertTrue(session.isOpen(), "FAIL_SEND leaves the session open");
        return "ok";
    }
}
