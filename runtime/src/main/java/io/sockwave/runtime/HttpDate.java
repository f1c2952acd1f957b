package io.sockwave.runtime;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} field of the server's HTTP answers (RFC 9110 §6.6.1: an origin server with a clock MUST send it
 * in every 2xx, 3xx and 4xx response), in the IMF-fixdate form of §5.6.7, e.g.
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}: a two-digit day, which {@link DateTimeFormatter#RFC_1123_DATE_TIME} does not
 * give, and {@code GMT}.
 */
final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDate() {
    }

    /**
     * @param instant a point in time
     * @return it in IMF-fixdate, to the second
     */
    static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** @return the current time in IMF-fixdate */
    static String now() {
        return format(Instant.now());
    }
}
