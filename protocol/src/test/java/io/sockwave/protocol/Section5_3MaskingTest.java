package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** RFC 6455 §5.3: the masking algorithm, word-wide, checked against the octet-by-octet reference. */
class Section5_3MaskingTest {
    private static final int[] KEYS = {Frames.KEY, 0x00000000, 0xFFFFFFFF, 0x80000001, 0x01020304};

    @Test
    void rfcExampleMasksHelloWithKey37FA213D() {
        // §5.7: a masked "Hello" from a client is 0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58.
        byte[] hello = Frames.utf8("Hello");

        Masking.mask(hello, 0, hello.length, 0x37FA213D);

        assertArrayEquals(Frames.bytes(0x7f, 0x9f, 0x4d, 0x51, 0x58), hello);
    }

    @Test
    void referenceMatchesTheRfcWordingOctetByOctet() {
        byte[] payload = Frames.pattern(37);
        for (int key : KEYS) {
            byte[] reference = payload.clone();
            Masking.maskReference(reference, 0, reference.length, key, 0);
            assertArrayEquals(Frames.mask(payload, key), reference);
        }
    }

    @Test
    void wideArrayMaskingEqualsTheReferenceAtEveryLengthAndOffset() {
        byte[] original = Frames.pattern(120);
        for (int key : KEYS) {
            for (int length = 0; length <= 100; length++) {
                for (int from = 0; from < 8; from++) {
                    for (int keyOffset = 0; keyOffset < 8; keyOffset++) {
                        byte[] expected = original.clone();
                        Masking.maskReference(expected, from, length, key, keyOffset);
                        byte[] actual = original.clone();
                        Masking.mask(actual, from, length, Integer.rotateLeft(key, 8 * (keyOffset & 3)));
                        assertArrayEquals(expected, actual, "array: key/length/from/keyOffset "
                                + key + "/" + length + "/" + from + "/" + keyOffset);
                    }
                }
            }
        }
    }

    @Test
    void wideBufferMaskingEqualsTheReferenceForHeapAndDirectBuffersInBothByteOrders() {
        byte[] original = Frames.pattern(120);
        for (boolean direct : new boolean[] {false, true}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                for (int key : KEYS) {
                    for (int length = 0; length <= 100; length++) {
                        for (int from = 0; from < 8; from++) {
                            for (int keyOffset = 0; keyOffset < 8; keyOffset++) {
                                byte[] expected = original.clone();
                                Masking.maskReference(expected, from, length, key, keyOffset);
                                ByteBuffer buffer = buffer(original, direct, order);
                                buffer.limit(from + length).position((from + length) / 2);

                                Masking.mask(buffer, from, length, key, keyOffset);

                                assertEquals((from + length) / 2, buffer.position(), "position is left alone");
                                assertEquals(from + length, buffer.limit(), "limit is left alone");
                                assertArrayEquals(expected, contents(buffer), (direct ? "direct " : "heap ") + order
                                        + " key/length/from/keyOffset " + key + "/" + length + "/" + from + "/"
                                        + keyOffset);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void regionBeyondTheLimitIsRefusedForHeapAndDirectBuffersAlike() {
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer buffer = buffer(new byte[32], direct, ByteOrder.BIG_ENDIAN).limit(16);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> Masking.mask(buffer, 8, 9, Frames.KEY, 0));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> Masking.mask(buffer, -1, 2, Frames.KEY, 0));
        }
    }

    @Test
    void keyOffsetBeyondIntRangeKeepsItsPhase() {
        byte[] expected = Frames.pattern(20);
        byte[] actual = expected.clone();
        long keyOffset = (1L << 40) + 3;

        Masking.maskReference(expected, 0, 20, Frames.KEY, keyOffset);
        Masking.mask(ByteBuffer.wrap(actual), 0, 20, Frames.KEY, keyOffset);

        assertArrayEquals(expected, actual);
    }

    @Test
    void heapBufferSliceMasksRelativeToItsOwnIndexes() {
        byte[] backing = Frames.pattern(64);
        ByteBuffer slice = ByteBuffer.wrap(backing, 5, 40).slice();
        byte[] expected = Frames.pattern(64);
        Masking.maskReference(expected, 5 + 2, 30, Frames.KEY, 1);

        Masking.mask(slice, 2, 30, Frames.KEY, 1);

        assertArrayEquals(expected, backing);
    }

    @Test
    void maskingTwiceRestoresThePayload() {
        byte[] payload = Frames.pattern(1000);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1000).put(payload).flip();

        Masking.mask(buffer, 0, 1000, Frames.KEY, 0);
        Masking.mask(buffer, 0, 1000, Frames.KEY, 0);

        assertArrayEquals(payload, contents(buffer));
    }

    @Test
    void payloadUnmaskedInPiecesEqualsPayloadUnmaskedWhole() {
        byte[] payload = Frames.pattern(999);
        byte[] masked = Frames.mask(payload, Frames.KEY);
        ByteBuffer buffer = ByteBuffer.wrap(masked.clone());
        int[] cuts = {0, 1, 2, 7, 8, 13, 64, 65, 500, 999};

        for (int i = 0; i + 1 < cuts.length; i++) {
            Masking.mask(buffer, cuts[i], cuts[i + 1] - cuts[i], Frames.KEY, cuts[i]);
        }

        assertArrayEquals(payload, contents(buffer));
    }

    static ByteBuffer buffer(byte[] contents, boolean direct, ByteOrder order) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(contents.length) : ByteBuffer.allocate(contents.length);
        b.put(contents).clear();
        return b.order(order);
    }

    static byte[] contents(ByteBuffer buffer) {
        byte[] out = new byte[buffer.capacity()];
        buffer.duplicate().clear().get(out);
        return out;
    }
}
