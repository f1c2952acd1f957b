package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The backoff's arithmetic: full jitter under a doubling ceiling, capped, never below the floor. */
class ReconnectPolicyTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static ReconnectPolicy policy(double draw) {
        return ReconnectPolicy.builder().initialDelay(Duration.ofMillis(100)).maxDelay(Duration.ofSeconds(1))
                .random(() -> draw).build();
    }

    @Test
    void ceilingDoublesFromTheInitialDelayUpToTheCap() {
        ReconnectPolicy policy = policy(0.5);
        assertEquals(100 * MS, policy.ceilingNanos(0));
        assertEquals(200 * MS, policy.ceilingNanos(1));
        assertEquals(800 * MS, policy.ceilingNanos(3));
        assertEquals(1000 * MS, policy.ceilingNanos(4));
        assertEquals(1000 * MS, policy.ceilingNanos(1_000_000), "no overflow after many tries");
    }

    @Test
    void delayIsDrawnUniformlyBelowTheCeilingAndNeverBelowTheFloor() {
        assertEquals(50 * MS, policy(0.5).delayNanos(0));
        assertEquals(400 * MS, policy(0.5).delayNanos(3));
        assertEquals(ReconnectPolicy.MIN_DELAY.toNanos(), policy(0).delayNanos(5), "no busy loop on a zero draw");
        assertTrue(policy(0.999_999).delayNanos(40) < 1000 * MS);
    }

    /** The defaults of {@link ReconnectPolicy.Builder}'s Javadoc and README.md. */
    @Test
    void defaultsAreHalfASecondDoublingUpTo30SecondsWith1008And1003And401And403Final() {
        ReconnectPolicy policy = ReconnectPolicy.builder().build();
        assertEquals(500 * MS, policy.ceilingNanos(0));
        assertEquals(30_000 * MS, policy.ceilingNanos(6), "500 ms x 2^6 is past the cap");
        assertEquals(16_000 * MS, policy.ceilingNanos(5));
        for (int code : new int[] {1008, 1003}) {
            assertTrue(policy.isFinalClose(code), "close " + code);
        }
        for (int code : new int[] {1000, 1001, 1006, 1011, 1012, 1013, 4001}) {
            assertTrue(!policy.isFinalClose(code), "close " + code);
        }
        for (int status : new int[] {401, 403}) {
            assertTrue(policy.isFinalStatus(status), "status " + status);
        }
        for (int status : new int[] {400, 404, 429, 500, 503}) {
            assertTrue(!policy.isFinalStatus(status), "status " + status);
        }
    }

    @Test
    void incoherentSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder()
                .initialDelay(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().maxTries(0));
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().holdWhileDisconnected(0));
    }
}
