package io.sockwave.runtime;

/** Durations as people read them in messages: {@code 300 ms}, {@code 5 s}, {@code 1.5 s}, {@code 2 min}. */
public final class Durations {
    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000 * MILLI;
    private static final long MINUTE = 60 * SECOND;

    private Durations() {
    }

    /**
     * @param nanos a duration in nanoseconds, not negative
     * @return it in the largest unit that keeps it exact to a tenth, or in milliseconds below a second
     */
    public static String readable(long nanos) {
        if (nanos < SECOND) {
            return (nanos + MILLI / 2) / MILLI + " ms";
        }
        if (nanos >= MINUTE && nanos % MINUTE == 0) {
            return nanos / MINUTE + " min";
        }
        long tenths = (nanos + SECOND / 20) / (SECOND / 10);
        return tenths % 10 == 0 ? tenths / 10 + " s" : tenths / 10 + "." + tenths % 10 + " s";
    }
}
