package io.sockwave.interop.matrix;

import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;

/**
 * Runs one feature of one row and records its cell. A feature the peer cannot do (its driver throws {@link
 * UnsupportedOperationException} saying why) is recorded as n/a and the test skipped. A declared peer bug is
 * recorded as ✗ with its tracker link, and the test fails if the bug no longer shows, or shows otherwise than
 * declared, so the matrix cannot go stale.
 * Any other failure is recorded and fails the test: it is Sockwave's to fix. A peer that is not installed records
 * nothing: the test is skipped (or, under CI, fails).
 */
public final class Cells {
    private Cells() {
    }

    /**
     * @param peerBugs the row's features that fail by the peer's own bug ({@link Outcome#peerBug})
     * @param body runs the feature; returns a note for the ✔ cell, or null
     */
    public static void run(Row row, Feature feature, Map<Feature, Outcome> peerBugs, Callable<String> body)
            throws Exception {
        Outcome declared = peerBugs.get(feature);
        if (declared != null) {
            try {
                body.call();
            } catch (TestAbortedException notInstalled) {
                throw notInstalled;
            } catch (Exception | AssertionError expected) {
                if (declared.symptom() != null && !describe(expected).contains(declared.symptom())) {
                    throw new AssertionError(row + " " + feature + " fails otherwise than its declared peer bug ("
                            + declared.symptom() + ")", expected);
                }
                Matrix.record(row, feature, declared);
                return;
            }
            throw new AssertionError(row + " " + feature + " passes now, though declared a peer bug ("
                    + declared.note() + "): update the row's known outcomes");
        }
        String note;
        try {
            note = body.call();
        } catch (TestAbortedException notInstalled) {
            throw notInstalled;
        } catch (UnsupportedOperationException cannot) {
            Matrix.record(row, feature, Outcome.notApplicable(cannot.getMessage()));
            Assumptions.abort("n/a: " + cannot.getMessage());
            return;
        } catch (Exception | AssertionError failure) {
            Matrix.record(row, feature, Outcome.fail(String.valueOf(failure.getMessage())));
            throw failure;
        }
        Matrix.record(row, feature, Outcome.pass(note));
    }

    /** @return the messages of a failure and its causes */
    private static String describe(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
