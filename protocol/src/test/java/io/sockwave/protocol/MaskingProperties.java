package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** RFC 6455 §5.3: the wide masking paths equal the octet-by-octet reference for any bytes, region, key and phase. */
class MaskingProperties {

    @Property(tries = 2000)
    void bufferMaskingEqualsTheReference(@ForAll @Size(max = 300) byte[] bytes, @ForAll @IntRange(max = 300) int a,
                                         @ForAll @IntRange(max = 300) int b, @ForAll int key,
                                         @ForAll @LongRange(max = 1L << 40) long keyOffset, @ForAll boolean direct,
                                         @ForAll boolean littleEndian) {
        int from = Math.min(a, bytes.length);
        int length = Math.min(b, bytes.length - from);
        byte[] expected = bytes.clone();
        Masking.maskReference(expected, from, length, key, keyOffset);
        ByteBuffer buffer = Section5_3MaskingTest.buffer(bytes, direct,
                littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);

        Masking.mask(buffer, from, length, key, keyOffset);

        assertArrayEquals(expected, Section5_3MaskingTest.contents(buffer));
    }

    @Property(tries = 2000)
    void unmaskingInPiecesEqualsUnmaskingWhole(@ForAll @Size(max = 300) byte[] bytes, @ForAll int key,
                                               @ForAll @IntRange(max = 300) int cut) {
        int at = Math.min(cut, bytes.length);
        byte[] whole = bytes.clone();
        Masking.maskReference(whole, 0, whole.length, key, 0);
        ByteBuffer pieces = ByteBuffer.wrap(bytes.clone());

        Masking.mask(pieces, 0, at, key, 0);
        Masking.mask(pieces, at, bytes.length - at, key, at);

        assertArrayEquals(whole, pieces.array());
    }
}
