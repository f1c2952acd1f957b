package io.sockwave.bench;

import io.sockwave.protocol.Utf8Validator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** RFC 6455 §8.1 UTF-8 validation of a whole text payload, pure ASCII and mixed scripts. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Utf8Benchmark {
    /** Payload size in bytes. */
    @Param({"32", "65536"})
    public int size;

    /** {@code ascii} or {@code mixed}. */
    @Param({"ascii", "mixed"})
    public String text;

    private byte[] bytes;
    private final Utf8Validator validator = new Utf8Validator();

    /** Builds the payload. */
    @Setup
    public void setUp() {
        bytes = "ascii".equals(text) ? Payloads.ascii(size) : Payloads.mixed(size);
        if (!Utf8Validator.isValid(bytes, 0, bytes.length)) {
            throw new IllegalStateException("benchmark payload is not valid UTF-8");
        }
    }

    /** Feeds the payload and finishes the message, as the connection does for a text message. */
    @Benchmark
    public void validate(ByteCounter counter) {
        validator.feed(bytes, 0, bytes.length);
        validator.finish();
        counter.bytes += bytes.length;
    }
}
