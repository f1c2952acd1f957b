package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * RFC 6455 §8.1 on long text, where {@link Utf8Validator} steps two bytes at a time and skips ASCII sixteen at a
 * time, and {@link Utf8Decoder} validates while it decodes: both agree with the JDK's decoder set to REPORT, and the
 * validator fails in the piece that holds the first invalid byte, wherever the pieces are cut.
 */
class Utf8FastPathProperties {

    /**
     * Up to 400 code points, in runs of one kind (ASCII runs long enough to be skipped, two-, three- and four-byte
     * letters), as chat text in one script or a few.
     */
    @Provide
    Arbitrary<String> longText() {
        Arbitrary<String> runs = Arbitraries.frequencyOf(
                Tuple.of(3, run(0x20, 0x7E, 40)),
                Tuple.of(2, run(0x80, 0x7FF, 30)),
                Tuple.of(3, run(0x800, 0xFFFF, 30)),
                Tuple.of(1, run(0x10000, 0x10FFFF, 10)));
        return runs.list().ofMaxSize(20).map(list -> String.join("", list));
    }

    private static Arbitrary<String> run(int low, int high, int maxLength) {
        return Arbitraries.integers().between(low, high).filter(cp -> cp < 0xD800 || cp > 0xDFFF).list()
                .ofMaxSize(maxLength).map(list -> {
                    StringBuilder s = new StringBuilder();
                    list.forEach(s::appendCodePoint);
                    return s.toString();
                });
    }

    @Provide
    Arbitrary<byte[]> nearlyValidLongBytes() {
        return Utf8Properties.nearMisses(longText());
    }

    @Property(tries = 500)
    void decoderAgreesWithTheJdk(@ForAll("nearlyValidLongBytes") byte[] bytes, @ForAll @IntRange(max = 17) int at) {
        byte[] inside = new byte[at + bytes.length + 5];
        System.arraycopy(bytes, 0, inside, at, bytes.length);
        String expected = Utf8Oracle.decode(bytes);

        if (expected != null) {
            assertEquals(expected, Utf8Decoder.decode(inside, at, bytes.length));
        } else {
            InvalidPayloadException e = assertThrows(InvalidPayloadException.class,
                    () -> Utf8Decoder.decode(inside, at, bytes.length));
            assertEquals(validatorReason(bytes), e.getMessage(), "the validator's reason");
        }
    }

    private static String validatorReason(byte[] bytes) {
        Utf8Validator validator = new Utf8Validator();
        return assertThrows(InvalidPayloadException.class, () -> {
            validator.feed(bytes, 0, bytes.length);
            validator.finish();
        }).getMessage();
    }

    @Property(tries = 400)
    void validatorFailsInThePieceThatHoldsTheFirstInvalidByte(@ForAll("nearlyValidLongBytes") byte[] bytes,
            @ForAll @Size(max = 6) List<@IntRange(max = 200) Integer> pieceSizes, @ForAll boolean direct) {
        int firstInvalid = Utf8Oracle.firstInvalidByte(bytes);
        Utf8Validator validator = new Utf8Validator();
        int from = 0;
        for (int i = 0; i <= pieceSizes.size(); i++) {
            int to = i == pieceSizes.size() ? bytes.length : Math.min(bytes.length, from + pieceSizes.get(i));
            if (firstInvalid >= from && firstInvalid < to) {
                int pieceFrom = from;
                assertThrows(InvalidPayloadException.class, () -> feed(validator, bytes, pieceFrom, to, direct),
                        "the piece [" + from + ", " + to + ") holds the first invalid byte, at " + firstInvalid);
                return;
            }
            feed(validator, bytes, from, to, direct);
            from = to;
        }
        assertEquals(-1, firstInvalid, "no piece failed");
        if (Utf8Oracle.isValid(bytes)) {
            validator.finish();
        } else {
            assertThrows(InvalidPayloadException.class, validator::finish, "text cut inside a code point");
        }
    }

    private static void feed(Utf8Validator validator, byte[] bytes, int from, int to, boolean direct) {
        if (direct) {
            validator.feed(ByteBuffer.allocateDirect(to - from).put(bytes, from, to - from).flip());
        } else {
            validator.feed(bytes, from, to - from);
        }
    }
}
