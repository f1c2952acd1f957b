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

    @Test
    void incoherentSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder()
                .initialDelay(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().maxTries(0));
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().holdWhileDisconnected(0));
    }
}
