package io.sockwave.bench;

import io.sockwave.protocol.Utf8Decoder;
import io.sockwave.protocol.Utf8Validator;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * RFC 6455 §8.1 UTF-8 validation of a whole text payload, pure ASCII and mixed scripts, and its decoding to the
 * String a text message is handed over as.
 */
public class Utf8Benchmark extends ThroughputBenchmark {
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

    /** A whole text message as the connection hands it over: validated and decoded to a String in one pass. */
    @Benchmark
    public String decode(ByteCounter counter) {
        counter.bytes += bytes.length;
        return Utf8Decoder.decode(bytes, 0, bytes.length);
    }

    /** The peer: the JDK's own decoding, which replaces bad bytes instead of failing on them. */
    @Benchmark
    public String jdkDecode(ByteCounter counter) {
        counter.bytes += bytes.length;
        return new String(bytes, 0, bytes.length, StandardCharsets.UTF_8);
    }
}
