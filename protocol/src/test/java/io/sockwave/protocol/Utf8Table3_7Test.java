package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.concat;
import static io.sockwave.protocol.Frames.utf8;

import java.util.Arrays;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §8.1 and Unicode's Table 3-7 where the validator takes two bytes per step and skips ASCII: every lead
 * byte with continuation bytes at the table's boundaries (overlongs, surrogates D800..DFFF, above U+10FFFF), and
 * every two bytes, placed at both alignments of the two-byte steps, after ASCII that is skipped, and cut short at
 * the end of the text. {@link Utf8Validator} and {@link Utf8Decoder} must agree with the JDK's decoder set to REPORT.
 */
class Utf8Table3_7Test {
    /** Both ends of every range of Table 3-7, and bytes just outside them. */
    private static final int[] BOUNDARIES = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
        0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    /** What follows a third or fourth byte: a continuation at each end of its range, or a byte that is not one. */
    private static final int[] TAILS = {0x41, 0x80, 0xBF, 0xC0};
    /** Greek of odd and even length, sixteen bytes of ASCII then Greek, and nothing: each moves what follows. */
    private static final byte[][] BEFORE = {utf8("κόσμε κόσμε1"), utf8("κόσμε κόσμε12"),
        utf8("sixteen of ascii κόσμε"), new byte[0]};
    private static final byte[] AFTER = utf8("κόσμε, and text long enough to be stepped through: κόσμε");

    @Test
    void everyLeadByteWithBoundaryContinuationsAgreesWithTheJdk() {
        // Lone continuation bytes and ASCII are among the pairs of the next test.
        for (int lead = 0xC0; lead < 256; lead++) {
            for (int second : BOUNDARIES) {
                for (int third : TAILS) {
                    for (byte[] before : BEFORE) {
                        byte[] cut = concat(before, Frames.bytes(lead, second, third));
                        for (int end = before.length + 1; end <= cut.length; end++) {
                            check(Arrays.copyOf(cut, end));
                        }
                        for (int fourth : TAILS) {
                            check(concat(cut, Frames.bytes(fourth), AFTER));
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyTwoBytesAgreeWithTheJdkAtBothAlignments() {
        for (int first = 0; first < 256; first++) {
            for (int second = 0; second < 256; second++) {
                check(concat(BEFORE[0], Frames.bytes(first, second), AFTER));
                check(concat(BEFORE[1], Frames.bytes(first, second), AFTER));
            }
        }
    }

    /** ASCII is skipped only between code points: a sequence cut short by ASCII fails wherever the cut falls. */
    @Test
    void asciiAfterAnUnfinishedSequenceFailsAtEveryOffsetWholeAndFedInTwoPieces() {
        byte[] ascii = utf8("thirty-two bytes of ASCII text..");
        for (String complete : new String[] {"ß", "ࠀ", "中", "\uD7FF", "😀", "\uDBFF\uDFFF"}) {
            byte[] sequence = utf8(complete);
            for (int offset = 0; offset < 80; offset++) {
                byte[] before = Arrays.copyOf(utf8("κόσμε".repeat(9)), offset);
                before = Arrays.copyOf(before, Utf8Validator.isValid(before, 0, offset) ? offset : offset - 1);
                for (int kept = 1; kept <= sequence.length; kept++) {
                    byte[] head = concat(before, Arrays.copyOf(sequence, kept));
                    byte[] text = concat(head, ascii);
                    check(text);
                    Utf8Validator validator = new Utf8Validator();
                    validator.feed(head, 0, head.length);
                    boolean accepted;
                    try {
                        validator.feed(ascii, 0, ascii.length);
                        accepted = true;
                    } catch (InvalidPayloadException e) {
                        accepted = false;
                    }
                    if (accepted != (kept == sequence.length)) {
                        throw new AssertionError("fed in two pieces, accepted=" + accepted + ": " + hex(text));
                    }
                }
            }
        }
    }

    private static void check(byte[] bytes) {
        String expected = Utf8Oracle.decode(bytes);
        if (Utf8Validator.isValid(bytes, 0, bytes.length) != (expected != null)) {
            throw new AssertionError("the validator disagrees with the JDK on " + hex(bytes));
        }
        String decoded;
        try {
            decoded = Utf8Decoder.decode(bytes, 0, bytes.length);
        } catch (InvalidPayloadException e) {
            decoded = null;
        }
        if (!Objects.equals(expected, decoded)) {
            throw new AssertionError("the decoder gives " + decoded + " instead of " + expected + " for " + hex(bytes));
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02X ", b & 0xFF));
        }
        return s.toString().trim();
    }
}
