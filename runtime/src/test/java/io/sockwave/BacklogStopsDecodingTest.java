package io.sockwave;

import static io.sockwave.TestJvm.awaitQuietly;
import static io.sockwave.TestJvm.usedHeapAfterGc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SECURITY.md: "reading stops at 1 MiB of held callbacks per session". It stopped reading the socket, but went on
 * decoding what one read had brought, the loop's 64 KiB: that many bytes of compressed messages, each a kilobyte
 * inflating to the 1 MiB message limit, were all inflated and held while no callback could run, some 48 MiB for 48
 * KiB sent (a thousand times what was sent, whatever the limits). Decoding now stops at the message that crosses the
 * backlog's high watermark, and what is left of the read waits undecoded, as the bytes the peer sent.
 */
@Timeout(60)
class BacklogStopsDecodingTest {
    private static final int MIB = 1 << 20;
    private static final int MESSAGES = 48;
    /** Just under the message limit once inflated; about a kilobyte compressed. */
    private static final int INFLATED = MIB - 1024;

    @Test
    void oneReadOfCompressedMessagesHoldsNoMoreThanTheBacklogAndOneMessageWhileCallbacksWait() throws Exception {
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[INFLATED];
        byte[] out = new byte[64 << 10];
        for (int i = 0; i < MESSAGES; i++) {
            // One stream with context takeover, each message ended with a sync flush whose tail is left off
            // (RFC 7692 §7.2.1).
            deflater.setInput(zeros);
            int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            burst.write(RawSocket.masked(0xC2, Arrays.copyOf(out, n - 4)));
        }
        deflater.end();
        assertTrue(burst.size() < 60_000, "the burst fits one read of the loop: " + burst.size() + " bytes");

        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        AtomicInteger delivered = new AtomicInteger();
        CountDownLatch allDelivered = new CountDownLatch(MESSAGES);
        // The application's one callback thread is busy: every call waits, held by the session.
        executor.execute(() -> awaitQuietly(release));
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                .extensions(PerMessageDeflate.defaults()).limits(Limits.DEFAULTS.withMaxMessageSize(MIB))
                .route("/", new Listener() {
                    @Override
                    public void onBinary(Session session, ByteBuffer data) {
                        assertEquals(INFLATED, data.remaining());
                        delivered.incrementAndGet();
                        allDelivered.countDown();
                    }
                }).build().start();
             RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
            String head = raw.readHead();
            assertTrue(head.contains("permessage-deflate"), head);
            long before = usedHeapAfterGc();
            raw.write(burst.toByteArray());
            // The server reads the burst at once; give it time to decode all of it, as it used to.
            Thread.sleep(1_000);
            long held = usedHeapAfterGc() - before;
            assertTrue(held < 4L * MIB, "the server held " + held / MIB + " MiB of messages for the "
                    + burst.size() + " bytes sent while no callback could run; the backlog stops at 1 MiB");

            // Nothing is lost: once the callbacks run, every message arrives, in order, and reading goes on.
            release.countDown();
            assertTrue(allDelivered.await(20, TimeUnit.SECONDS), delivered.get() + " messages delivered");
            raw.write(RawSocket.masked(0x89, "after"));
            RawSocket.Frame pong = raw.readFrame();
            assertEquals(0x8A, pong.b0());
            assertEquals("after", new String(pong.payload(), StandardCharsets.US_ASCII));
        } finally {
            release.countDown();
            executor.shutdown();
        }
    }

    /**
     * The bytes left undecoded by a suspension come out in order once reading resumes, ahead of the end of stream
     * that followed them: the close frame in them makes a clean close (1000), not an abnormal one (1006). Under TLS
     * the close_notify that ends the stream comes in the same read as the records before it.
     */
    @ParameterizedTest(name = "tls: {0}")
    @ValueSource(booleans = {false, true})
    void whatOneReadBroughtAfterASuspensionIsDecodedOnResumeAheadOfTheEndOfStream(boolean tls) throws Exception {
        TestCertificates certificates = tls ? TestCertificates.loopback() : null;
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        Server.Builder builder = Server.builder().host("127.0.0.1").eventLoops(1);
        if (tls) {
            builder.tls(certificates.server());
        }
        try (Server server = builder.route("/", new Listener() {
                    @Override
                    public void onBinary(Session session, ByteBuffer data) {
                        events.add("binary " + data.get(0));
                        if (events.size() == 1) {
                            session.suspendReading();
                            later.schedule(session::resumeReading, 300, TimeUnit.MILLISECONDS);
                        }
                    }

                    @Override
                    public void onClose(Session session, int code, String reason) {
                        events.add("close " + code + " " + reason);
                        closed.countDown();
                    }
                }).build().start();
             RawSocket raw = RawSocket.connect(server.port(), tls ? certificates.client() : null, false).open("/")) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.write(RawSocket.masked(0x82, new byte[] {1}));
            burst.write(RawSocket.masked(0x82, new byte[] {2}));
            burst.write(RawSocket.masked(0x88, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}));
            raw.write(burst.toByteArray());
            raw.socket.shutdownOutput();

            assertEquals(1000, raw.expectCloseAndEof());
            assertTrue(closed.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("binary 1", "binary 2", "close 1000 bye"), events);
        } finally {
            later.shutdownNow();
        }
    }
}
