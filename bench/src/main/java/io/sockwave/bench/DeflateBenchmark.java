package io.sockwave.bench;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.EventHandler;
import io.sockwave.protocol.Role;
import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A compressed echo through two {@link Connection}s that negotiated permessage-deflate (RFC 7692): the client
 * compresses and masks a JSON message, the server inflates and validates it, compresses the same text back, and the
 * client inflates the reply. Messages come from a stream of 64 varied chat-like JSON objects, as an application
 * would send them. Besides operations per second, it reports {@code bytes} (JSON bytes echoed per second, both
 * directions) and {@code wireBytes} (compressed payload bytes per second); their ratio is what compression saves.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeflateBenchmark {
    /** Whether each side keeps its LZ77 window from message to message (RFC 7692 §7.1.1). */
    @Param({"true", "false"})
    public boolean contextTakeover;

    private List<String> messages;
    private Connection client;
    private Connection server;
    private EventHandler serverEcho;
    private EventHandler clientSink;
    private String echoed;
    private int next;

    /** Counts JSON bytes echoed and compressed bytes on the wire. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        /** Uncompressed JSON bytes echoed, both directions. */
        public long bytes;
        /** Compressed payload bytes sent, both directions. */
        public long wireBytes;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
            wireBytes = 0;
        }
    }

    /** Negotiates the extension through the real offer and acceptance, then builds both connections. */
    @Setup
    public void setUp() {
        messages = Payloads.jsonStream(64);
        PerMessageDeflate factory = PerMessageDeflate.builder().threshold(0)
                .serverNoContextTakeover(!contextTakeover).clientNoContextTakeover(!contextTakeover).build();
        Extension serverSide = factory.accept(factory.offers());
        Extension clientSide = factory.accepted(serverSide.negotiated());
        client = new Connection(ConnectionConfig.of(Role.CLIENT).withExtensions(List.of(clientSide)));
        server = new Connection(ConnectionConfig.of(Role.SERVER).withExtensions(List.of(serverSide)));
        serverEcho = new EventHandler() {
            @Override
            public void onText(String text) {
                echoed = text;
            }
        };
        clientSink = new EventHandler() {
            @Override
            public void onText(String text) {
                echoed = text;
            }
        };
    }

    /** Releases the zlib streams. */
    @TearDown
    public void tearDown() {
        client.release();
        server.release();
    }

    /** One message out and back. */
    @Benchmark
    public String echo(Counters counters) {
        String message = messages.get(next++ & 63);
        ByteBuffer request = client.sendText(message);
        counters.wireBytes += request.remaining();
        server.receive(request, serverEcho);
        ByteBuffer reply = server.sendText(echoed);
        counters.wireBytes += reply.remaining();
        client.receive(reply, clientSink);
        counters.bytes += 2L * message.getBytes(StandardCharsets.UTF_8).length;
        return echoed;
    }
}
