package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations in messages read as people write them, not as ISO 8601's {@code PT0.3S}. */
class DurationsTest {
    @Test
    void eachDurationReadsInItsUnit() {
        assertEquals("0 ms", Durations.readable(0));
        assertEquals("300 ms", Durations.readable(Duration.ofMillis(300).toNanos()));
        assertEquals("999 ms", Durations.readable(Duration.ofMillis(999).toNanos()));
        assertEquals("1 s", Durations.readable(Duration.ofSeconds(1).toNanos()));
        assertEquals("1.5 s", Durations.readable(Duration.ofMillis(1500).toNanos()));
        assertEquals("30 s", Durations.readable(Duration.ofSeconds(30).toNanos()));
        assertEquals("90 s", Durations.readable(Duration.ofSeconds(90).toNanos()));
        assertEquals("2 min", Durations.readable(Duration.ofMinutes(2).toNanos()));
    }
}
