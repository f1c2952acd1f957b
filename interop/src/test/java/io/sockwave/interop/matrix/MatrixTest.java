package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The table the run writes: enum order whatever the recording order, shared notes numbered once, completeness. */
class MatrixTest {
    @Test
    void rowsAndNotesComeInEnumOrderWhateverOrderTheyWereRecordedIn() {
        Matrix matrix = new Matrix();
        matrix.put(Row.JETTY_SERVER, Feature.TLS, Outcome.notApplicable("second note"));
        matrix.put(Row.JDK_CLIENT, Feature.TLS, Outcome.pass(null));
        matrix.put(Row.JDK_CLIENT, Feature.HANDSHAKE, Outcome.fail("first note"));
        matrix.put(Row.JETTY_SERVER, Feature.HANDSHAKE, Outcome.fail("first note"));
        matrix.putVersion(Row.JDK_CLIENT, "17");

        List<String> lines = matrix.render().lines().toList();
        List<String> rows = lines.stream()
                .filter(l -> l.startsWith("| ") && !l.startsWith("| peer") && !l.startsWith("| ---")).toList();
        assertEquals(2, rows.size(), String.join("\n", lines));
        assertTrue(rows.get(0).startsWith("| JDK `java.net.http.WebSocket` 17 | client | ✗ [1] | not run |"),
                rows.get(0));
        assertTrue(rows.get(0).endsWith("| ✔ |"), rows.get(0));
        assertTrue(rows.get(1).startsWith("| Jetty | server | ✗ [1] |"), rows.get(1));
        assertTrue(rows.get(1).endsWith("| n/a [2] |"), rows.get(1));
        assertTrue(lines.contains("1. first note") && lines.contains("2. second note"), String.join("\n", lines));
        assertEquals(matrix.render(), matrix.render(), "rendering is deterministic");
    }

    @Test
    void isCompleteOnlyWhenEveryCellOfEveryRowHasAnOutcome() {
        Matrix matrix = new Matrix();
        for (Row row : Row.values()) {
            for (Feature feature : Feature.values()) {
                assertFalse(matrix.complete());
                matrix.put(row, feature, Outcome.pass(null));
            }
        }
        assertTrue(matrix.complete());
    }
}
