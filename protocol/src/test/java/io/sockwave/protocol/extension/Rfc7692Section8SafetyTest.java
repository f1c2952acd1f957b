package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.CloseCode;
import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.FrameEncoder;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.Opcode;
import io.sockwave.testsupport.AllocatedBytes;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** RFC 7692 §8 (implementation notes) and the memory rules: bombs, limits on decompressed size, native memory. */
class Rfc7692Section8SafetyTest {
    private static final int LIMIT = 1 << 20;

    /** A raw DEFLATE stream of {@code size} zero bytes, sync-flushed, without its tail: a decompression bomb. */
    private static ByteBuffer bomb(long size) {
        Deflater deflater = new Deflater(9, true);
        byte[] zeros = new byte[1 << 20];
        byte[] out = new byte[1 << 20];
        java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
        for (long fed = 0; fed < size; fed += zeros.length) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                compressed.write(out, 0, deflater.deflate(out));
            }
        }
        int n;
        do {
            n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            compressed.write(out, 0, n);
        } while (n == out.length);
        deflater.end();
        byte[] bytes = compressed.toByteArray();
        return ByteBuffer.wrap(bytes, 0, bytes.length - 4);
    }

    @Test
    void decompressionBombFailsWith1009AtTheLimitWithoutAllocatingItsSize() {
        DeflatePeers peers = DeflatePeers.negotiate(PerMessageDeflate.defaults(), PerMessageDeflate.defaults(),
                Limits.DEFAULTS.withMaxMessageSize(LIMIT));
        ByteBuffer payload = bomb(512L << 20);
        assertTrue(payload.remaining() < LIMIT, "the bomb's frame itself is within the limits");
        ByteBuffer frame = FrameEncoder.encode(true, Extension.RSV1, Opcode.BINARY, payload, true, 0x11223344);
        EventQueue events = new EventQueue();
        long before = AllocatedBytes.byCurrentThread();
        peers.server().receive(frame, events);
        long allocated = AllocatedBytes.byCurrentThread() - before;
        assertEquals(CloseCode.MESSAGE_TOO_BIG, assertInstanceOf(Event.Failure.class, events.poll()).closeCode());
        assertTrue(allocated < 8L * LIMIT, "inflating a 512 MiB bomb allocated " + allocated + " bytes");
        peers.release();
    }

    @Test
    void messageLimitCountsDecompressedBytesAcrossFragments() {
        DeflatePeers peers = DeflatePeers.negotiate(PerMessageDeflate.builder().threshold(0).build(),
                PerMessageDeflate.defaults(), Limits.DEFAULTS.withMaxMessageSize(10_000));
        ByteBuffer compressed = peers.clientExtension().encode(Opcode.BINARY, ByteBuffer.wrap(new byte[10_001]))
                .payload();
        int half = compressed.remaining() / 2;
        EventQueue events = new EventQueue();
        peers.server().receive(FrameEncoder.encode(false, Extension.RSV1, Opcode.BINARY,
                compressed.duplicate().limit(compressed.position() + half), true, 1), events);
        peers.server().receive(FrameEncoder.encode(true, 0, Opcode.CONTINUATION,
                compressed.duplicate().position(compressed.position() + half), true, 2), events);
        assertEquals(CloseCode.MESSAGE_TOO_BIG, assertInstanceOf(Event.Failure.class, events.poll()).closeCode());
        peers.release();
    }

    @Test
    void messageExactlyAtTheLimitIsDelivered() {
        DeflatePeers peers = DeflatePeers.negotiate(PerMessageDeflate.builder().threshold(0).build(),
                PerMessageDeflate.defaults(), Limits.DEFAULTS.withMaxMessageSize(10_000));
        EventQueue events = new EventQueue();
        peers.server().receive(peers.client().sendBinary(ByteBuffer.wrap(new byte[10_000])), events);
        assertEquals(10_000, assertInstanceOf(Event.Binary.class, events.poll()).data().remaining());
        peers.release();
    }

    /**
     * RFC 6455 §10.4 with RFC 7692: the message limit counts decompressed bytes, and a peer that compresses every
     * message (browsers, python-websockets) sends random or already compressed data a few bytes larger than it is.
     * Such a message of exactly the limit, in one frame, is delivered although the frame limit equals the message
     * limit (as {@code withMaxMessageSize} sets it, and {@code sockwave serve --max-message} relies on). Before, it
     * failed with 1009 "frame of 10006 bytes exceeds the limit of 10000".
     */
    @Test
    void anIncompressibleMessageAtTheLimitIsDeliveredThoughItsCompressedFrameIsLarger() {
        DeflatePeers peers = DeflatePeers.negotiate(PerMessageDeflate.defaults(), PerMessageDeflate.defaults(),
                Limits.DEFAULTS.withMaxMessageSize(10_000));
        byte[] message = new byte[10_000];
        new java.util.Random(16).nextBytes(message);
        ByteBuffer payload = deflatedAsAPeerWould(message);
        assertTrue(payload.remaining() > message.length, "deflate made the message larger");
        EventQueue events = new EventQueue();

        peers.server().receive(FrameEncoder.encode(true, Extension.RSV1, Opcode.BINARY, payload, true, 7), events);

        assertEquals(ByteBuffer.wrap(message), assertInstanceOf(Event.Binary.class, events.poll()).data());
        peers.release();
    }

    /** The allowance is bounded: a compressed frame past what deflate can add to the limit fails at its header. */
    @Test
    void aCompressedFrameBeyondWhatDeflateCanAddFailsWith1009AtItsHeader() {
        DeflatePeers peers = DeflatePeers.negotiate(PerMessageDeflate.defaults(), PerMessageDeflate.defaults(),
                Limits.DEFAULTS.withMaxMessageSize(10_000));
        int bound = 10_000 + 1_250 + 157 + 64;
        EventQueue events = new EventQueue();
        byte[] header = {(byte) 0xC2, (byte) 0xFE, (byte) ((bound + 1) >> 8), (byte) (bound + 1), 1, 2, 3, 4};

        peers.server().receive(ByteBuffer.wrap(header), events);

        Event.Failure failure = assertInstanceOf(Event.Failure.class, events.poll());
        assertEquals(CloseCode.MESSAGE_TOO_BIG, failure.closeCode());
        assertEquals("frame of " + (bound + 1) + " bytes exceeds the limit of " + bound, failure.reason());
        peers.release();
    }

    /** @return the message deflated as zlib's users do it: default level, sync-flushed, its empty-block tail cut */
    private static ByteBuffer deflatedAsAPeerWould(byte[] message) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(message);
        byte[] out = new byte[message.length * 2 + 64];
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        deflater.end();
        return ByteBuffer.wrap(out, 0, n - 4);
    }

    /**
     * Native zlib memory is released on every connection's end: 10,000 connections with context takeover (each
     * holding about 300 KB of native memory while open) must not grow the resident set by more than a fraction of
     * what leaking them would cost (some 3 GB).
     */
    @Test
    void nativeMemoryDoesNotGrowOver10000Connections() throws Exception {
        PerMessageDeflate factory = PerMessageDeflate.builder().threshold(0).build();
        byte[] message = "{\"hello\":\"world\"}".repeat(20).getBytes();
        runConnections(factory, message, 500);
        System.gc();
        long before = residentBytes();
        runConnections(factory, message, 10_000);
        System.gc();
        long growth = residentBytes() - before;
        assertTrue(growth < 256L << 20, "resident memory grew by " + (growth >> 20) + " MiB");
    }

    private static void runConnections(PerMessageDeflate factory, byte[] message, int count) {
        for (int i = 0; i < count; i++) {
            DeflatePeers peers = DeflatePeers.negotiate(factory, factory, Limits.DEFAULTS);
            EventQueue events = new EventQueue();
            peers.server().receive(peers.client().sendBinary(ByteBuffer.wrap(message)), events);
            peers.client().receive(peers.server().sendBinary(ByteBuffer.wrap(message)), events);
            if (events.drain().size() != 2) {
                throw new AssertionError("messages lost");
            }
            peers.release();
        }
    }

    private static long residentBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
