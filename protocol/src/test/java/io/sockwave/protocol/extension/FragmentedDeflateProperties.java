package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.Limits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * RFC 6455 §5.4 with RFC 7692 §6.1 through the public Connection API: text messages sent in fragments cut at any char
 * index (surrogate pairs included), compressed, with pings between the fragments and whole messages between the
 * fragmented ones, arrive whole, in order, with every ping, however the bytes are split into reads.
 */
class FragmentedDeflateProperties {
    private static final String ALPHABET = "ab \u00e9\u20ac\ud83d\ude00{}\"";

    @Property(tries = 150)
    void fragmentedCompressedTextWithInterleavedPingsArrivesInOrder(@ForAll long seed,
            @ForAll boolean noContextTakeover, @ForAll @IntRange(min = 8, max = 15) int windowBits,
            @ForAll @IntRange(min = 1, max = 700) int read) {
        Random random = new Random(seed);
        PerMessageDeflate client = PerMessageDeflate.builder().threshold(0)
                .clientNoContextTakeover(noContextTakeover).clientMaxWindowBits(windowBits).build();
        DeflatePeers peers = DeflatePeers.negotiate(client, PerMessageDeflate.builder().threshold(0).build(),
                Limits.DEFAULTS);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<Event> expected = new ArrayList<>();
        try {
            for (int m = 0; m < 6; m++) {
                String text = text(random, random.nextInt(3000));
                if (random.nextBoolean()) {
                    write(wire, peers.client().sendText(text));
                } else {
                    int at = 0;
                    while (true) {
                        int next = Math.min(text.length(), at + random.nextInt(400));
                        boolean last = next == text.length() && random.nextInt(4) > 0;
                        write(wire, peers.client().sendFragment(text.subSequence(at, next), last));
                        at = next;
                        if (last) {
                            break;
                        }
                        if (random.nextBoolean()) {
                            byte[] ping = {(byte) m, (byte) at};
                            write(wire, peers.client().ping(ByteBuffer.wrap(ping)));
                            expected.add(new Event.Ping(ByteBuffer.wrap(ping)));
                        }
                    }
                }
                expected.add(new Event.Text(text));
            }

            assertEquals(expected, receiveInReads(peers.server(), wire.toByteArray(), read));
        } finally {
            peers.release();
        }
    }

    private static String text(Random random, int codePoints) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int at = random.nextInt(ALPHABET.length() - 1);
            char c = ALPHABET.charAt(at);
            s.append(c);
            if (Character.isHighSurrogate(c)) {
                s.append(ALPHABET.charAt(at + 1));
            } else if (Character.isLowSurrogate(c)) {
                s.setLength(s.length() - 1);
                s.append('x');
            }
        }
        return s.toString();
    }

    private static void write(ByteArrayOutputStream wire, ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        wire.writeBytes(bytes);
    }

    private static List<Event> receiveInReads(Connection receiver, byte[] bytes, int read) {
        EventQueue events = new EventQueue();
        for (int at = 0; at < bytes.length; at += read) {
            ByteBuffer in = ByteBuffer.wrap(bytes, at, Math.min(read, bytes.length - at)).slice();
            receiver.receive(in, events);
        }
        return events.drain();
    }
}
