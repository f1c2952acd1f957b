package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * RFC 6455 §5.2 and §5.4 as properties: what one end encodes the other decodes to the same message, however it is
 * fragmented; and a byte stream, valid or not, yields the same events and replies however it is cut into reads.
 */
class FramingProperties {

    /** Payload sizes, with the length-form boundaries of §5.2 as edge cases. */
    @Provide
    Arbitrary<Integer> payloadSizes() {
        return Arbitraries.integers().between(0, 70_000)
                .edgeCases(edges -> edges.includeOnly(0, 1, 125, 126, 127, 65535, 65536, 70_000));
    }

    @Property(tries = 200)
    void whatTheClientEncodesTheServerDecodes(@ForAll("payloadSizes") int size, @ForAll boolean text,
                                              @ForAll long seed, @ForAll @IntRange(min = 1, max = 9000) int read) {
        Connection client = new Connection(ConnectionConfig.of(Role.CLIENT));
        byte[] payload = payload(size, text, seed);
        ByteBuffer frame = text ? client.sendText(new String(payload, StandardCharsets.UTF_8))
                : client.sendBinary(ByteBuffer.wrap(payload));

        List<Event> events = receiveInReadsOf(Peer.server(), Frames.toArray(frame), read);

        Event expected = text ? new Event.Text(new String(payload, StandardCharsets.UTF_8))
                : new Event.Binary(ByteBuffer.wrap(payload));
        assertEquals(List.of(expected), events);
    }

    @Property(tries = 200)
    void whatTheServerEncodesTheClientDecodes(@ForAll("payloadSizes") int size, @ForAll long seed,
                                              @ForAll @IntRange(min = 1, max = 9000) int read) {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        byte[] payload = payload(size, false, seed);

        List<Event> events = receiveInReadsOf(Peer.client(),
                Frames.toArray(server.sendBinary(ByteBuffer.wrap(payload))), read);

        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(payload))), events);
    }

    @Property(tries = 300)
    void fragmentedMessagesWithInterleavedPingsArriveWhole(@ForAll @IntRange(max = 5000) int size,
                                                          @ForAll boolean text, @ForAll long seed) {
        Random random = new Random(seed);
        Connection client = new Connection(ConnectionConfig.of(Role.CLIENT));
        byte[] payload = payload(size, text, seed);
        Opcode type = text ? Opcode.TEXT : Opcode.BINARY;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int pings = 0;
        int at = 0;
        do {
            int n = Math.min(payload.length - at, random.nextInt(300));
            boolean last = at + n == payload.length;
            wire.writeBytes(Frames.toArray(client.sendFragment(type, ByteBuffer.wrap(payload, at, n), last)));
            at += n;
            if (!last && random.nextInt(4) == 0) {
                wire.writeBytes(Frames.toArray(client.ping(ByteBuffer.wrap(new byte[] {(byte) pings++}))));
            }
        } while (at < payload.length);
        Peer server = Peer.server();

        List<Event> events = receiveInReadsOf(server, wire.toByteArray(), 1 + random.nextInt(500));

        assertEquals(pings + 1, events.size());
        for (int i = 0; i < pings; i++) {
            assertEquals(new Event.Ping(ByteBuffer.wrap(new byte[] {(byte) i})), events.get(i));
        }
        Event message = events.get(pings);
        if (text) {
            assertEquals(new Event.Text(new String(payload, StandardCharsets.UTF_8)), message);
        } else {
            assertEquals(new Event.Binary(ByteBuffer.wrap(payload)), message);
        }
        List<Frames.Decoded> pongs = server.output();
        // Each ping gets its pong, up to the bound; past it the newest ping's pong replaces the newest waiting one.
        List<Byte> expected = new java.util.ArrayList<>();
        for (int i = 0; i < pings; i++) {
            if (expected.size() == OwedFrames.MAX_PENDING_PONGS) {
                expected.remove(expected.size() - 1);
            }
            expected.add((byte) i);
        }
        assertEquals(expected, pongs.stream().map(p -> p.payload()[0]).toList());
    }

    @Property(tries = 500)
    void anyChunkingYieldsTheSameEventsAndReplies(@ForAll long seed, @ForAll boolean corrupt,
                                                  @ForAll boolean direct) {
        Random random = new Random(seed);
        byte[] stream = randomStream(random, corrupt);

        Run whole = run(stream, new int[] {stream.length}, direct);
        Run oneByOne = run(stream, null, direct);
        int[] reads = new int[stream.length];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = 1 + random.nextInt(random.nextBoolean() ? 3 : 200);
        }
        Run chunked = run(stream, reads, direct);

        assertEquals(whole, oneByOne);
        assertEquals(whole, chunked);
    }

    /** What a server did with a stream: its events, its replies, its final state. */
    record Run(List<Event> events, List<String> replies, State state) {
    }

    private static Run run(byte[] stream, int[] reads, boolean direct) {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        EventQueue events = new EventQueue();
        int at = 0;
        for (int i = 0; at < stream.length; i++) {
            int n = Math.min(stream.length - at, reads == null ? 1 : reads[i]);
            ByteBuffer in = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
            in.put(stream, at, n).flip();
            server.receive(in, events);
            at += n;
        }
        List<String> replies = new ArrayList<>();
        for (ByteBuffer frame = server.pollOutput(); frame != null; frame = server.pollOutput()) {
            replies.add(HexFormat.of().formatHex(Frames.toArray(frame)));
        }
        return new Run(events.drain(), replies, server.state());
    }

    /** A client's stream of messages, fragments and control frames, with one byte changed when asked. */
    private static byte[] randomStream(Random random, boolean corrupt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + random.nextInt(12);
        for (int i = 0; i < frames; i++) {
            switch (random.nextInt(6)) {
                case 0 -> out.writeBytes(Frames.client(Frames.TEXT, payload(random.nextInt(300), true,
                        random.nextLong())));
                case 1 -> out.writeBytes(Frames.client(Frames.BINARY, payload(random.nextInt(70_000) >> (random
                        .nextInt(8) * 2), false, random.nextLong())));
                case 2 -> {
                    byte[] text = payload(random.nextInt(200), true, random.nextLong());
                    int cut = random.nextInt(text.length + 1);
                    out.writeBytes(Frames.clientFragment(false, Frames.TEXT, Arrays.copyOf(text, cut)));
                    out.writeBytes(Frames.client(Frames.PING, payload(random.nextInt(126), false, random.nextLong())));
                    out.writeBytes(Frames.clientFragment(true, Frames.CONTINUATION,
                            Arrays.copyOfRange(text, cut, text.length)));
                }
                case 3 -> out.writeBytes(Frames.client(Frames.PING, payload(random.nextInt(126), false,
                        random.nextLong())));
                case 4 -> out.writeBytes(Frames.client(Frames.PONG, payload(random.nextInt(126), false,
                        random.nextLong())));
                default -> {
                    if (random.nextInt(4) == 0) {
                        out.writeBytes(Frames.client(Frames.CLOSE, Frames.closePayload(1000, Frames.utf8("end"))));
                    }
                }
            }
        }
        byte[] stream = out.toByteArray();
        if (corrupt && stream.length > 0) {
            stream[random.nextInt(stream.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return stream;
    }

    /** Random bytes, or random valid UTF-8 of that many bytes or up to three more when {@code text}. */
    static byte[] payload(int size, boolean text, long seed) {
        Random random = new Random(seed);
        if (!text) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            return bytes;
        }
        StringBuilder s = new StringBuilder();
        int[] starts = {0x20, 0xA0, 0x800, 0x10000};
        int[] spans = {0x5F, 0x700, 0xD000, 0x100000 - 0x10000};
        for (int bytes = 0; bytes < size; ) {
            int kind = random.nextInt(10) < 7 ? 0 : random.nextInt(4);
            int cp = starts[kind] + random.nextInt(spans[kind]);
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            s.appendCodePoint(cp);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<Event> receiveInReadsOf(Peer peer, byte[] bytes, int read) {
        List<Event> events = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += read) {
            events.addAll(peer.receive(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + read))));
        }
        return events;
    }
}
