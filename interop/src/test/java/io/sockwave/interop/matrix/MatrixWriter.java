package io.sockwave.interop.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the matrix once every test of the run has finished (registered in META-INF/services), so that one test
 * run produces the table the README links to.
 */
public final class MatrixWriter implements TestExecutionListener {
    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        try {
            Matrix.RUN.write();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the interop matrix", e);
        }
    }
}
