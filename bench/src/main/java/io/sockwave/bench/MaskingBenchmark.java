package io.sockwave.bench;

import io.sockwave.protocol.Masking;
import java.nio.ByteBuffer;
import java.util.Random;
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

/** RFC 6455 §5.3 masking in place, over an array and over heap and direct buffers. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MaskingBenchmark {
    private static final int KEY = 0x37FA213D;

    /** Payload size in bytes. */
    @Param({"32", "65536"})
    public int size;

    private byte[] array;
    private ByteBuffer heap;
    private ByteBuffer direct;

    /** Fills the payloads with random bytes. */
    @Setup
    public void setUp() {
        array = new byte[size];
        new Random(42).nextBytes(array);
        heap = ByteBuffer.wrap(array.clone());
        direct = ByteBuffer.allocateDirect(size).put(array.clone()).flip();
    }

    /** {@link Masking#mask(byte[], int, int, int)}: the path a client's encoder takes. */
    @Benchmark
    public void array(ByteCounter counter) {
        Masking.mask(array, 0, size, KEY);
        counter.bytes += size;
    }

    /** A heap read buffer, as a server unmasks what it read. */
    @Benchmark
    public void heapBuffer(ByteCounter counter) {
        Masking.mask(heap, 0, size, KEY, 0);
        counter.bytes += size;
    }

    /** A direct read buffer, as a server reading from a socket channel into direct memory unmasks. */
    @Benchmark
    public void directBuffer(ByteCounter counter) {
        Masking.mask(direct, 0, size, KEY, 0);
        counter.bytes += size;
    }
}
