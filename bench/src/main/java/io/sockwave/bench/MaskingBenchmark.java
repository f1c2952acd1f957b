package io.sockwave.bench;

import io.sockwave.protocol.Masking;
import java.nio.ByteBuffer;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** RFC 6455 §5.3 masking in place, over an array and over heap and direct buffers. */
public class MaskingBenchmark extends ThroughputBenchmark {
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

    /**
     * {@link Masking#mask(byte[], int, int, int)}: the path a client's encoder takes, and a server's as it copies a
     * payload out of its read buffer.
     */
    @Benchmark
    public void array(ByteCounter counter) {
        Masking.mask(array, 0, size, KEY);
        counter.bytes += size;
    }

    /** A heap read buffer, as a server unmasks a whole text message where it was read. */
    @Benchmark
    public void heapBuffer(ByteCounter counter) {
        Masking.mask(heap, 0, size, KEY, 0);
        counter.bytes += size;
    }

    /** A direct read buffer, as a server unmasks a compressed payload where it was read, for its extension. */
    @Benchmark
    public void directBuffer(ByteCounter counter) {
        Masking.mask(direct, 0, size, KEY, 0);
        counter.bytes += size;
    }
}
