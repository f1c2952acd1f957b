package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.Reachability;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@link ReconnectingSession} closed while it waits for its next try lets go of everything at once: nothing keeps
 * it, its listener or its options reachable until the delay it was waiting for would have passed (up to
 * {@code maxDelay}, 30 seconds by default). A gateway that opens and closes reconnecting sessions to a server that is
 * down must not hold one per closed session for the length of a backoff.
 */
class ClosedReconnectingSessionIsReleasedTest {
    private static final int SESSIONS = 200;
    /** Far longer than the test: a try that waits this long still holds its session when the test looks. */
    private static final Duration DELAY = Duration.ofMinutes(10);

    @Test
    void closingWhileWaitingForTheNextTryReleasesTheSession() throws Exception {
        int refused;
        try (ServerSocket bound = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = bound.getLocalPort();
        }
        ReconnectPolicy policy = ReconnectPolicy.builder().initialDelay(DELAY).maxDelay(DELAY)
                .random(() -> 0.99).build();
        List<WeakReference<ReconnectingSession>> closed = new ArrayList<>();
        try (Client client = Client.create(1)) {
            CountDownLatch waiting = new CountDownLatch(SESSIONS);
            List<ReconnectingSession> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                sessions.add(client.connectReconnecting(URI.create("ws://127.0.0.1:" + refused + "/"),
                        ClientOptions.defaults(), policy, new Listener() { }, status -> {
                            if (status.state() == ReconnectingSession.State.RECONNECTING) {
                                waiting.countDown();
                            }
                        }));
            }
            assertTrue(waiting.await(30, TimeUnit.SECONDS), "every session's first try failed and the next waits");
            for (ReconnectingSession session : sessions) {
                assertEquals(ReconnectingSession.State.CLOSED,
                        session.close(1000, "").get(10, TimeUnit.SECONDS).state());
                closed.add(new WeakReference<>(session));
            }
            sessions.clear();
            assertEquals(0, Reachability.stillReachable(closed, Duration.ofSeconds(10)),
                    "closed reconnecting sessions still reachable, of " + SESSIONS);
        }
    }
}
