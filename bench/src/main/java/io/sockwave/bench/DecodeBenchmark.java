package io.sockwave.bench;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.EventHandler;
import io.sockwave.protocol.Role;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A server's {@link Connection#receive} of one masked client frame: header parsing, unmasking, UTF-8 validation
 * for text, and handing the message over. Receiving may unmask in place (a whole text message in a heap buffer is),
 * so each invocation first copies the masked frame back into the read buffer; that copy is part of the measured
 * time, as a socket read would be.
 */
public class DecodeBenchmark extends ThroughputBenchmark {
    /** Payload size in bytes. */
    @Param({"32", "65536"})
    public int size;

    /** {@code binary}, or {@code text} with mixed scripts. */
    @Param({"binary", "text"})
    public String type;

    /** {@code heap} or {@code direct} read buffer. */
    @Param({"heap", "direct"})
    public String buffer;

    private byte[] frame;
    private ByteBuffer in;
    private Connection server;
    private EventHandler handler;

    /** Encodes the frame with a client connection and prepares a server connection to receive it. */
    @Setup
    public void setUp(Blackhole blackhole) {
        Connection client = new Connection(ConnectionConfig.of(Role.CLIENT).withMaskKeys(() -> 0x37FA213D));
        byte[] payload = "text".equals(type) ? Payloads.mixed(size) : Payloads.ascii(size);
        ByteBuffer encoded = "text".equals(type)
                ? client.sendText(new String(payload, StandardCharsets.UTF_8))
                : client.sendBinary(ByteBuffer.wrap(payload));
        frame = new byte[encoded.remaining()];
        encoded.get(frame);
        in = "direct".equals(buffer) ? ByteBuffer.allocateDirect(frame.length) : ByteBuffer.allocate(frame.length);
        server = new Connection(ConnectionConfig.of(Role.SERVER));
        handler = new EventHandler() {
            @Override
            public void onText(String text) {
                blackhole.consume(text);
            }

            @Override
            public void onBinary(ByteBuffer data) {
                blackhole.consume(data);
            }

            @Override
            public void onFailure(io.sockwave.protocol.ProtocolException error) {
                throw new IllegalStateException("benchmark frame refused", error);
            }
        };
    }

    /** Receives one whole frame in one read. */
    @Benchmark
    public void receive(ByteCounter counter) {
        in.clear();
        in.put(frame).flip();
        server.receive(in, handler);
        counter.bytes += size;
    }
}
