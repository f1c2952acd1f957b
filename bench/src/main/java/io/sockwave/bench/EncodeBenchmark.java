package io.sockwave.bench;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.Role;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

/**
 * Encoding one data frame: a server's unmasked frame, a client's masked one (keys from the secure source), and a
 * server's text frame, which includes the UTF-8 encoding of the string.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodeBenchmark {
    /** Payload size in bytes. */
    @Param({"32", "65536"})
    public int size;

    private ByteBuffer payload;
    private String text;
    private Connection server;
    private Connection client;

    /** Prepares the payloads and one connection of each role. */
    @Setup
    public void setUp() {
        payload = ByteBuffer.wrap(Payloads.ascii(size));
        text = new String(Payloads.mixed(size), StandardCharsets.UTF_8);
        server = new Connection(ConnectionConfig.of(Role.SERVER));
        client = new Connection(ConnectionConfig.of(Role.CLIENT));
    }

    /** A server's binary frame: header plus a copy of the payload. */
    @Benchmark
    public ByteBuffer serverBinary(ByteCounter counter) {
        counter.bytes += size;
        return server.sendBinary(payload);
    }

    /** A client's binary frame: header, a fresh mask key, and the masked copy of the payload. */
    @Benchmark
    public ByteBuffer clientBinary(ByteCounter counter) {
        counter.bytes += size;
        return client.sendBinary(payload);
    }

    /** A server's text frame of mixed scripts: surrogate check, UTF-8 encoding, header and copy. */
    @Benchmark
    public ByteBuffer serverText(ByteCounter counter) {
        counter.bytes += size;
        return server.sendText(text);
    }
}
