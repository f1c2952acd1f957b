package io.sockwave.cli.bench;

import java.time.Duration;
import java.util.Locale;

/** Number formats shared by the live progress line and the reports; always with a dot, whatever the locale. */
final class Format {
    private Format() {}

    /** @return the value with one decimal place below 100 and none above, such as {@code 12.5} or {@code 12345} */
    static String decimal(double value) {
        return value < 100 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.0f", value);
    }

    /** @return the duration in seconds with one decimal place, such as {@code 10.0 s} */
    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toNanos() / 1e9);
    }

    /** @return microseconds shown as milliseconds with three decimal places, such as {@code 0.125 ms} */
    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
    }

    /** @return a byte rate in MiB/s with two decimal places */
    static String mebibytesPerSecond(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.2f MiB/s", bytesPerSecond / (1 << 20));
    }
}
