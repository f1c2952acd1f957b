package io.sockwave.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void durationsDefaultToSecondsAndAcceptUnits() {
        assertEquals(Duration.ofSeconds(10), Units.parseDuration("10"));
        assertEquals(Duration.ofMillis(2500), Units.parseDuration("2.5s"));
        assertEquals(Duration.ofMillis(500), Units.parseDuration("500ms"));
        assertEquals(Duration.ofMinutes(5), Units.parseDuration("5m"));
        assertEquals(Duration.ofHours(1), Units.parseDuration("1H"));
        assertEquals(Duration.ZERO, Units.parseDuration("0"));
    }

    @Test
    void malformedDurationsAreRejectedWithExamples() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("-1"));
        assertEquals("'-1' is not a duration (examples: 10, 2.5s, 500ms, 5m)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("ten"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("5d"));
    }

    @Test
    void sizesUseBinaryUnits() {
        assertEquals(125, Units.parseSize("125"));
        assertEquals(64 * 1024, Units.parseSize("64k"));
        assertEquals(64 * 1024, Units.parseSize("64KiB"));
        assertEquals(1 << 20, Units.parseSize("1MiB"));
        assertEquals(16 << 20, Units.parseSize("16mb"));
        assertEquals(1 << 30, Units.parseSize("1g"));
    }

    @Test
    void sizesBeyondAnIntAreRejected() {
        assertEquals(Integer.MAX_VALUE, Units.parseSize(Integer.toString(Integer.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("2g"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("99999999999999999999999"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("1.5k"));
    }
}
