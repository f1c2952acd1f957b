package io.sockwave.bench.peers.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The results-file line format and the JSON writer. */
class SampleAndJsonTest {
    @Test
    void sampleLineRoundTrips() {
        Sample s = new Sample(2, "netty-nio-aa", "echo16k", "mb_per_s", 193.75, null);
        assertEquals(s, Sample.parse(s.toLine().strip()));
    }

    @Test
    void errorTextLosesItsTabsAndNewlinesButSurvives() {
        Sample s = new Sample(1, "jetty", "handshake", Sample.FIRST_ERROR, Double.NaN, "bad\tthing\nhere");
        Sample back = Sample.parse(s.toLine().strip());
        assertEquals("bad thing here", back.text());
    }

    @Test
    void malformedLineIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Sample.parse("1\tjetty\techo"));
    }

    @Test
    void jsonEscapesStringsAndWritesNanAsNull() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("s", "a\"b\\c\n");
        root.put("n", Double.NaN);
        root.put("i", 3.0);
        root.put("d", 2.5);
        root.put("l", List.of(true, 1));
        root.put("e", List.of());
        assertEquals("{\n  \"s\": \"a\\\"b\\\\c\\n\",\n  \"n\": null,\n  \"i\": 3,\n  \"d\": 2.5,\n"
                + "  \"l\": [\n    true,\n    1\n  ],\n  \"e\": []\n}\n", Json.write(root));
    }
}
