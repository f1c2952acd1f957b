package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 9110 §5.6.7: the server's dates are IMF-fixdate, as in the RFC's own example. */
class HttpDateTest {
    @Test
    void rfc9110_5_6_7_imfFixdateOfTheRfcsExample() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(Instant.parse("1994-11-06T08:49:37Z")));
    }

    /** IMF-fixdate's day is 2DIGIT: RFC 1123 as java.time writes it ("Fri, 3 Jan ...") is not. */
    @Test
    void rfc9110_5_6_7_theDayAlwaysHasTwoDigitsAndTheTimeIsGmt() {
        assertEquals("Fri, 03 Jan 2025 00:00:09 GMT", HttpDate.format(Instant.parse("2025-01-03T00:00:09.999Z")));
    }
}
