package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.Reachability;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An upgrade whose {@link UpgradeHook} has not decided when it ends (answered 503 at the handshake timeout or by a
 * graceful shutdown, or cut by its client) leaves nothing of its connection reachable from the hook's stage. A hook that answers with a stage
 * shared by every request ("once the auth service is up"), which stays pending through an outage, would otherwise
 * keep each abandoned connection's request, bytes and negotiated extensions until it completes, if ever.
 */
class UndecidedUpgradeIsReleasedTest {
    private static final int UPGRADES = 200;
    private static final int AT_ONCE = 50;
    /**
     * Long enough for a batch's requests to reach the hook on a loaded machine (one whose head is not read in time
     * would be cut without the hook, and without a 503), short enough for a fast test.
     */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);

    /** permessage-deflate, keeping a weak reference to each extension it negotiates. */
    private static final class Tracking implements ExtensionFactory {
        final PerMessageDeflate deflate = PerMessageDeflate.defaults();
        final ConcurrentLinkedQueue<WeakReference<Extension>> negotiated = new ConcurrentLinkedQueue<>();

        @Override
        public String name() {
            return deflate.name();
        }

        @Override
        public Extension accept(List<ExtensionOffer> offers) {
            Extension extension = deflate.accept(offers);
            if (extension != null) {
                negotiated.add(new WeakReference<>(extension));
            }
            return extension;
        }

        @Override
        public List<ExtensionOffer> offers() {
            return deflate.offers();
        }

        @Override
        public Extension accepted(ExtensionOffer response) {
            return deflate.accepted(response);
        }
    }

    @Test
    void upgradesAbandonedWhileTheHookDecidesAreNotKeptByItsStage() throws Exception {
        CompletableFuture<UpgradeDecision> serviceUp = new CompletableFuture<>();
        Tracking extensions = new Tracking();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).extensions(extensions)
                .handshakeTimeout(HANDSHAKE_TIMEOUT)
                // The shutdown's 503s are read once it returns: it need not wait long for their clients to close.
                .closeTimeout(Duration.ofMillis(200))
                .upgradeHook(request -> serviceUp)
                .route("/", new EchoListener()).build().start()) {
            String upgrade = RawSocket.upgrade("/", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
            for (int batch = 0; batch < UPGRADES / AT_ONCE; batch++) {
                List<RawSocket> sockets = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    RawSocket raw = RawSocket.connect(server.port());
                    raw.write(upgrade);
                    sockets.add(raw);
                }
                assertEquals((batch + 1) * AT_ONCE, awaitNegotiated(extensions, (batch + 1) * AT_ONCE),
                        "upgrades that reached the hook");
                for (RawSocket raw : sockets) {
                    try (raw) {
                        if (batch % 2 == 0) {
                            // Answered 503 at the handshake timeout.
                            String answer = raw.readUntilEof();
                            assertTrue(answer.startsWith("HTTP/1.1 503 "), "the undecided upgrade's answer: " + answer);
                        } else {
                            // Cut by its client while the hook decides.
                            raw.socket.setSoLinger(true, 0);
                        }
                    }
                }
            }
            assertEquals(0, awaitNoConnections(server), "connections left");
            // Answered 503 by a graceful shutdown.
            List<RawSocket> sockets = new ArrayList<>();
            for (int i = 0; i < AT_ONCE; i++) {
                RawSocket raw = RawSocket.connect(server.port());
                raw.write(upgrade);
                sockets.add(raw);
            }
            assertEquals(UPGRADES + AT_ONCE, awaitNegotiated(extensions, UPGRADES + AT_ONCE),
                    "upgrades that reached the hook");
            assertTrue(server.shutdown(Duration.ofSeconds(10)), "shut down in time");
            for (RawSocket raw : sockets) {
                try (raw) {
                    String answer = raw.readUntilEof();
                    assertTrue(answer.startsWith("HTTP/1.1 503 "), "the answer in the shutdown: " + answer);
                }
            }
        }
        assertEquals(0, Reachability.stillReachable(extensions.negotiated, Duration.ofSeconds(10)),
                "abandoned upgrades still reachable from the hook's stage");
        // The stage outlives the upgrades, as a service's would.
        Reference.reachabilityFence(serviceUp);
    }

    private static int awaitNegotiated(Tracking extensions, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (extensions.negotiated.size() < count && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        return extensions.negotiated.size();
    }

    private static int awaitNoConnections(Server server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().connections() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        return server.stats().connections();
    }
}
