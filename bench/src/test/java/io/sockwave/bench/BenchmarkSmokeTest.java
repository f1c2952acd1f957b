package io.sockwave.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collection;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark once, briefly and in-process ({@code -f 0 -wi 0 -i 1 -r 100ms}), so that CI notices a
 * benchmark that no longer runs. A functional check only: scores must exist and be positive, not reach any figure.
 */
class BenchmarkSmokeTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {MaskingBenchmark.class, Utf8Benchmark.class, DecodeBenchmark.class,
        EncodeBenchmark.class, DeflateBenchmark.class, HandshakeBenchmark.class})
    void everyBenchmarkRunsAndScores(Class<?> benchmark) throws RunnerException {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        assertEquals(expectedRuns(benchmark), results.size(), "one result per method and parameter combination");
        for (RunResult run : results) {
            String label = run.getParams().getBenchmark() + " " + run.getParams();
            assertTrue(run.getPrimaryResult().getScore() > 0, label + ": no operations");
            Result<?> bytes = run.getSecondaryResults().get("bytes");
            assertTrue(bytes != null && bytes.getScore() > 0, label + ": no bytes counted");
        }
    }

    /** @return the number of {@code @Benchmark} methods times the number of {@code @Param} combinations */
    private static int expectedRuns(Class<?> benchmark) {
        long methods = Arrays.stream(benchmark.getMethods()).filter(m -> m.isAnnotationPresent(Benchmark.class))
                .count();
        int combinations = 1;
        for (Field field : benchmark.getFields()) {
            Param param = field.getAnnotation(Param.class);
            if (param != null) {
                combinations *= param.value().length;
            }
        }
        return (int) methods * combinations;
    }
}
