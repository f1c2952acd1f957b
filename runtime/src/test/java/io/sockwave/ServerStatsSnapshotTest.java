package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What {@link ServerStats} promises: each event loop's counts are read together, as they stood at one instant
 * between two of its steps, so a snapshot never contradicts itself: no more sessions than connections, and a server
 * without connections has no session, queued byte or buffer either. Checked while connections open, queue bytes and
 * close as fast as a bounded churn can make them, by threads that read the stats meanwhile.
 */
class ServerStatsSnapshotTest {
    private static final int CONNECTIONS = 400;
    private static final long MAX_NANOS = 20_000_000_000L;

    @Test
    void everySnapshotAgreesWithItselfWhileConnectionsChurn() throws Exception {
        Listener sender = new Listener() {
            @Override
            public void onOpen(Session session) {
                session.sendBinary(ByteBuffer.allocate(16 * 1024));
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", sender)
                .build().start()) {
            AtomicBoolean churning = new AtomicBoolean(true);
            AtomicReference<String> contradiction = new AtomicReference<>();
            AtomicLong snapshots = new AtomicLong();
            Runnable reader = () -> {
                while (churning.get() && contradiction.get() == null) {
                    ServerStats stats = server.stats();
                    snapshots.incrementAndGet();
                    if (stats.sessions() > stats.connections()
                            || stats.connections() == 0 && (stats.sessions() != 0 || stats.queuedBytes() != 0
                            || stats.buffers() != 0)) {
                        contradiction.compareAndSet(null, stats.toString());
                    }
                }
            };
            Thread[] readers = {new Thread(reader, "stats-reader-1"), new Thread(reader, "stats-reader-2")};
            for (Thread thread : readers) {
                thread.start();
            }
            long deadline = System.nanoTime() + MAX_NANOS;
            try {
                for (int i = 0; i < CONNECTIONS && System.nanoTime() < deadline && contradiction.get() == null; i++) {
                    try (RawSocket raw = RawSocket.connect(server.port())) {
                        raw.socket.setSoLinger(true, 0); // a reset: the server ends the session without a close frame
                        raw.open("/");
                    }
                }
            } finally {
                churning.set(false);
                for (Thread thread : readers) {
                    thread.join(10_000);
                }
            }
            assertNull(contradiction.get(), "a snapshot contradicted itself");
            assertTrue(snapshots.get() > 0);
            long end = System.nanoTime() + 10_000_000_000L;
            while (server.stats().connections() != 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(new ServerStats(0, 0, 0, 0, 0), server.stats());
        }
    }
}
