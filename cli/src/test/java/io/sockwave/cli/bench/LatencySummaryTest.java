package io.sockwave.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {
    static Histogram oneToThousandMicros() {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i);
        }
        return h;
    }

    @Test
    void percentilesComeFromTheHistogram() {
        LatencySummary s = LatencySummary.of(oneToThousandMicros());
        assertEquals(1000, s.count());
        assertEquals(500, s.p50());
        assertEquals(900, s.p90());
        assertEquals(990, s.p99());
        assertEquals(999, s.p999());
        assertEquals(1000, s.max());
        assertEquals(500.5, s.mean(), 0.5);
    }

    @Test
    void distributionRisesToTheMaximumAtOneHundredPercent() {
        List<LatencySummary.Point> curve = LatencySummary.of(oneToThousandMicros()).distribution();
        assertTrue(curve.size() > 10, "points: " + curve.size());
        for (int i = 1; i < curve.size(); i++) {
            assertTrue(curve.get(i).percentile() >= curve.get(i - 1).percentile());
            assertTrue(curve.get(i).micros() >= curve.get(i - 1).micros());
        }
        LatencySummary.Point last = curve.get(curve.size() - 1);
        assertEquals(100.0, last.percentile());
        assertEquals(1000, last.micros());
    }

    @Test
    void emptyHistogramSummarisesToZeroes() {
        LatencySummary s = LatencySummary.of(new Histogram(3));
        assertEquals(new LatencySummary(0, 0, 0, 0, 0, 0, 0, List.of()), s);
    }
}
