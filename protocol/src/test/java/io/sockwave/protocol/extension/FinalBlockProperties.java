package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.FrameEncoder;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.Opcode;
import io.sockwave.testsupport.FinalBlockDeflater;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * RFC 7692 §7.2.3.4 with §7.2.2: a client whose DEFLATE streams end with BFINAL blocks anywhere (mid-message, at the
 * end, with or without §7.2.3.4's trailing {@code 00}), each next stream primed with the window so that it refers
 * back across the end, is decoded byte for byte by a Sockwave server: every window size, with and without context
 * takeover, messages cut into fragments anywhere and the bytes into reads of any size.
 *
 * <p>What Sockwave keeps before a connection's first BFINAL block is the message's last 16 KiB of output, and the
 * history it copies at an end is paid for by the compressed bytes before it (see {@link MessageInflater}). So each
 * script ends its first stream within a message's first 16 KiB, the first message always ends one, and two ends are
 * {@value #GAP} bytes apart or more; within that every end has the whole window behind it.
 */
class FinalBlockProperties {
    private static final int FIRST_END_WITHIN = MessageInflater.CHUNK;
    /** Enough compressed bytes between two ends for a whole window of history at each (see MessageInflater). */
    private static final int GAP = 512;

    @Property(tries = 120)
    void streamsEndingAnywhereAreDecodedByteForByte(@ForAll long seed, @ForAll boolean noContextTakeover,
            @ForAll @IntRange(min = 8, max = 15) int windowBits, @ForAll @IntRange(min = 1, max = 3000) int read) {
        Random random = new Random(seed);
        PerMessageDeflate clientFactory = PerMessageDeflate.builder()
                .clientNoContextTakeover(noContextTakeover).clientMaxWindowBits(windowBits).build();
        DeflatePeers peers = DeflatePeers.negotiate(clientFactory, PerMessageDeflate.defaults(), Limits.DEFAULTS);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<Event> expected = new ArrayList<>();
        try (FinalBlockDeflater sender = new FinalBlockDeflater(windowBits, !noContextTakeover)) {
            for (int m = 0; m < 5; m++) {
                byte[] message = compressible(random, random.nextInt(m == 0 ? FIRST_END_WITHIN : 48 * 1024));
                int[] ends = FinalBlockDeflater.randomStreamEnds(random, message.length, FIRST_END_WITHIN, GAP);
                FinalBlockDeflater.Ending ending = FinalBlockDeflater.Ending.values()[random.nextInt(3)];
                if (m == 0 && ends.length == 0 && ending == FinalBlockDeflater.Ending.SYNC_FLUSH) {
                    ending = FinalBlockDeflater.Ending.FINAL_BLOCK;
                }
                writeFragmented(wire, sender.compress(message, ends, ending), random);
                expected.add(new Event.Binary(ByteBuffer.wrap(message)));
            }
            assertEquals(expected, receiveInReads(peers.server(), wire.toByteArray(), read));
        } finally {
            peers.release();
        }
    }

    /** Text-like bytes from a small alphabet, in runs that repeat earlier ones: many back-references. */
    private static byte[] compressible(Random random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = i > 300 && random.nextInt(4) > 0 ? bytes[i - 1 - random.nextInt(300)]
                    : (byte) ('a' + random.nextInt(12));
        }
        return bytes;
    }

    /** Writes the payload as a binary message in up to four masked fragments, RSV1 on the first only (§6.1). */
    private static void writeFragmented(ByteArrayOutputStream wire, byte[] payload, Random random) {
        int pieces = 1 + random.nextInt(4);
        int at = 0;
        for (int i = 0; i < pieces; i++) {
            int end = i == pieces - 1 ? payload.length : at + random.nextInt(payload.length - at + 1);
            ByteBuffer frame = FrameEncoder.encode(i == pieces - 1, i == 0 ? Extension.RSV1 : 0,
                    i == 0 ? Opcode.BINARY : Opcode.CONTINUATION, ByteBuffer.wrap(payload, at, end - at), true,
                    random.nextInt());
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            wire.writeBytes(bytes);
            at = end;
        }
    }

    private static List<Event> receiveInReads(Connection receiver, byte[] bytes, int read) {
        EventQueue events = new EventQueue();
        for (int at = 0; at < bytes.length; at += read) {
            receiver.receive(ByteBuffer.wrap(bytes, at, Math.min(read, bytes.length - at)).slice(), events);
        }
        return events.drain();
    }
}
