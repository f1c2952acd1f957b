package io.sockwave.cli.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Round-trip latency percentiles, in microseconds, taken from an HdrHistogram.
 *
 * @param count how many round trips were measured
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the largest
 * @param mean the arithmetic mean
 * @param distribution the percentile curve, for the chart: points in increasing percentile order
 */
public record LatencySummary(long count, long p50, long p90, long p99, long p999, long max, double mean,
        List<Point> distribution) {
    /** Halvings of the remaining distance to 100% per tick of the curve, as HdrHistogram's own output uses. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    /**
     * One point of the percentile curve.
     *
     * @param percentile from 0 to 100
     * @param micros the latency at that percentile
     */
    public record Point(double percentile, long micros) {}

    /**
     * @param micros a histogram of latencies in microseconds
     * @return its summary; all zero when it is empty
     */
    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, List.of());
        }
        List<Point> points = new ArrayList<>();
        for (HistogramIterationValue v : micros.percentiles(TICKS_PER_HALF_DISTANCE)) {
            points.add(new Point(v.getPercentileLevelIteratedTo(),
                    micros.highestEquivalentValue(v.getValueIteratedTo())));
        }
        return new LatencySummary(micros.getTotalCount(), micros.getValueAtPercentile(50),
                micros.getValueAtPercentile(90), micros.getValueAtPercentile(99), micros.getValueAtPercentile(99.9),
                micros.getMaxValue(), micros.getMean(), List.copyOf(points));
    }
}
