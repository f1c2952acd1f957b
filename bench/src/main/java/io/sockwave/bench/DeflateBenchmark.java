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
import java.util.zip.Deflater;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A compressed echo through two {@link Connection}s that negotiated permessage-deflate (RFC 7692): the client
 * compresses and masks a JSON message, the server inflates and validates it, compresses the same text back, and the
 * client inflates the reply. Messages come from a stream of distinct chat-like JSON objects, as an application
 * would send them: single objects of 120-150 bytes ({@code chat}) or arrays of them of 16 KiB ({@code batch16k}).
 * The stream is far longer than the 32 KiB window, so that with context takeover a message finds its kin in the
 * window but never itself (a short stream sent in a loop would compress each message to a single back-reference to
 * its previous copy and overstate what context takeover saves). Besides operations per second, it reports
 * {@code bytes} (JSON bytes echoed per second, both directions) and {@code wireBytes} (compressed payload bytes per
 * second); their ratio is what compression saves.
 */
public class DeflateBenchmark extends ThroughputBenchmark {
    /** Whether each side keeps its LZ77 window from message to message (RFC 7692 §7.1.1). */
    @Param({"true", "false"})
    public boolean contextTakeover;

    /** {@code chat}: one chat object per message; {@code batch16k}: a JSON array of them, 16 KiB or a little more. */
    @Param({"chat", "batch16k"})
    public String message;

    private List<String> messages;
    private Connection client;
    private Connection server;
    /** A server connection of its own for {@link #serverSend}, so that the echo's pair stays in step. */
    private Connection sender;
    private int[] lengths;
    private byte[][] utf8;
    /** A bare zlib stream for {@link #zlibDeflate}, at level 6, permessage-deflate's default. */
    private Deflater zlib;
    private final byte[] zlibOut = new byte[32 * 1024];
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
        // 4096 chat objects are 530 KB, 256 batches 4 MiB: both pass through the window many times over.
        messages = "chat".equals(message) ? Payloads.jsonStream(4096) : Payloads.jsonStream(256, 16 * 1024);
        PerMessageDeflate factory = PerMessageDeflate.builder().threshold(0)
                .serverNoContextTakeover(!contextTakeover).clientNoContextTakeover(!contextTakeover).build();
        Extension serverSide = factory.accept(factory.offers());
        Extension clientSide = factory.accepted(serverSide.negotiated());
        utf8 = messages.stream().map(m -> m.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        lengths = java.util.Arrays.stream(utf8).mapToInt(b -> b.length).toArray();
        zlib = new Deflater(6, true);
        sender = new Connection(ConnectionConfig.of(Role.SERVER)
                .withExtensions(List.of(factory.accept(factory.offers()))));
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
        sender.release();
        zlib.end();
    }

    /** One message out and back. */
    @Benchmark
    public String echo(Counters counters) {
        int i = next++ & (messages.size() - 1);
        ByteBuffer request = client.sendText(messages.get(i));
        counters.wireBytes += request.remaining();
        server.receive(request, serverEcho);
        ByteBuffer reply = server.sendText(echoed);
        counters.wireBytes += reply.remaining();
        client.receive(reply, clientSink);
        counters.bytes += 2L * lengths[i];
        return echoed;
    }

    /**
     * What zlib alone costs for one message, as {@link #serverSend} uses it: a raw deflate flushed to a byte boundary,
     * reset first without context takeover. The floor under {@code serverSend}: the rest of that is framing.
     */
    @Benchmark
    public int zlibDeflate(Counters counters) {
        int i = next++ & (messages.size() - 1);
        if (!contextTakeover) {
            zlib.reset();
        }
        zlib.setInput(utf8[i]);
        int n = 0;
        int written;
        do {
            written = zlib.deflate(zlibOut, 0, zlibOut.length, Deflater.SYNC_FLUSH);
            n += written;
        } while (written == zlibOut.length);
        counters.wireBytes += n;
        counters.bytes += utf8[i].length;
        return n;
    }

    /** One message compressed and framed by a server, as a reply or a broadcast costs it; nothing reads it. */
    @Benchmark
    public ByteBuffer serverSend(Counters counters) {
        int i = next++ & (messages.size() - 1);
        ByteBuffer frame = sender.sendText(messages.get(i));
        counters.wireBytes += frame.remaining();
        counters.bytes += lengths[i];
        return frame;
    }
}
