package io.sockwave.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.runtime.TimersBenchmark;
import io.sockwave.runtime.TopicLeaveBenchmark;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark once, briefly and in-process ({@code -f 0 -wi 0 -i 1 -r 100ms}), so that CI notices a
 * benchmark that no longer runs. A functional check only: scores must exist and be positive, not reach any figure.
 */
class BenchmarkSmokeTest {

    static Stream<Class<?>> benchmarks() {
        return Stream.of(MaskingBenchmark.class, Utf8Benchmark.class, DecodeBenchmark.class, EncodeBenchmark.class,
                DeflateBenchmark.class, HandshakeBenchmark.class, TopicLeaveBenchmark.class,
                TimersBenchmark.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benchmarks")
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

    /**
     * bench/README.md's table says what one operation of each benchmark is: a benchmark missing from it is one a
     * reader of the figures cannot interpret.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("benchmarks")
    void everyBenchmarkHasARowInTheReadme(Class<?> benchmark) throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("\n| `" + benchmark.getSimpleName() + "` | "),
                benchmark.getSimpleName() + " has no row in bench/README.md's table");
    }

    /**
     * The run settings live once on {@link ThroughputBenchmark}; this checks that the annotation processor carried
     * them into every generated benchmark, which the in-process run above overrides and so cannot see.
     */
    @Test
    void everyBenchmarkInheritsTheSharedRunSettings() {
        Set<BenchmarkListEntry> entries = BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of());

        long methods = benchmarks()
                .flatMap(benchmark -> Arrays.stream(benchmark.getMethods()))
                .filter(method -> method.isAnnotationPresent(Benchmark.class))
                .count();
        // Equal counts: no benchmark class is missing from the smoke run's list above, nor any from the jar's.
        assertEquals(methods, entries.size(), "benchmark methods in the generated list");
        for (BenchmarkListEntry entry : entries) {
            String name = entry.getUsername();
            assertEquals(Mode.Throughput, entry.getMode(), name);
            assertEquals(TimeUnit.SECONDS, entry.getTimeUnit().orElse(null), name);
            assertEquals(1, entry.getForks().orElse(-1), name + " forks");
            assertEquals(3, entry.getWarmupIterations().orElse(-1), name + " warm-up iterations");
            assertEquals(TimeValue.seconds(1), entry.getWarmupTime().orElse(null), name + " warm-up time");
            assertEquals(5, entry.getMeasurementIterations().orElse(-1), name + " measurement iterations");
            assertEquals(TimeValue.seconds(1), entry.getMeasurementTime().orElse(null), name + " measurement time");
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
