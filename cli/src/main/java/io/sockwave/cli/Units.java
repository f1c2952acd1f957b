package io.sockwave.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value types with units: durations such as {@code 10s} and sizes such as {@code 64KiB}. */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    private Units() {}

    /**
     * Parses a duration: a number of seconds, or a number followed by {@code ms}, {@code s}, {@code m} or {@code h}.
     *
     * @param text such as {@code 10}, {@code 2.5s}, {@code 500ms} or {@code 5m}
     * @return the duration
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 10, 2.5s, 500ms, 5m)");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    /**
     * Parses a size in bytes: a number, optionally followed by a binary unit ({@code k}/{@code KiB} = 1024 bytes,
     * {@code m}/{@code MiB}, {@code g}/{@code GiB}).
     *
     * @param text such as {@code 64}, {@code 16k} or {@code 1MiB}
     * @return the size in bytes, at most {@link Integer#MAX_VALUE}
     * @throws IllegalArgumentException if the text is not of that form or too large
     */
    public static int parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 125, 64k, 1MiB)");
        }
        long shift = switch (m.group(2) == null ? "b" : m.group(2).substring(0, 1)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        long value;
        try {
            value = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            value = Long.MAX_VALUE;
        }
        if (value > (Integer.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large (at most 2 GiB - 1)");
        }
        return (int) (value << shift);
    }

    /** picocli converter for {@link #parseDuration}. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli converter for {@link #parseSize}. */
    public static final class SizeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return parseSize(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
