package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * {@link Utf8Validator} agrees with the JDK's strict UTF-8 decoder on every input, fed whole or cut anywhere (RFC
 * 6455 §8.1, RFC 3629), and fails only with {@link InvalidPayloadException}; {@link Utf8Decoder} decodes the same
 * text as the JDK or fails alike.
 */
class Utf8ValidatorFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void agreesWithTheJdkDecoderAtEveryCut(FuzzedDataProvider data) {
        int cuts = data.consumeInt(0, 8);
        int[] at = new int[cuts];
        for (int i = 0; i < cuts; i++) {
            at[i] = data.consumeInt(0, 1 << 16);
        }
        byte[] bytes = data.consumeRemainingAsBytes();
        String text = jdkDecode(bytes);
        boolean expected = text != null;
        assertEquals(expected, Utf8Validator.isValid(bytes, 0, bytes.length), "isValid");
        assertEquals(text, decoded(bytes), "Utf8Decoder");
        assertEquals(expected, feedsCleanly(bytes, at, false), "fed in pieces");
        assertEquals(expected, feedsCleanly(bytes, at, true), "fed in pieces from direct buffers");
    }

    private static boolean feedsCleanly(byte[] bytes, int[] cuts, boolean direct) {
        Utf8Validator validator = new Utf8Validator();
        try {
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i == cuts.length ? bytes.length : Math.min(bytes.length, Math.max(from, cuts[i]));
                if (direct) {
                    ByteBuffer piece = ByteBuffer.allocateDirect(to - from);
                    piece.put(bytes, from, to - from).flip();
                    validator.feed(piece);
                } else {
                    validator.feed(bytes, from, to - from);
                }
                from = to;
            }
            validator.finish();
            return true;
        } catch (InvalidPayloadException e) {
            return false;
        }
    }

    private static String decoded(byte[] bytes) {
        try {
            return Utf8Decoder.decode(bytes, 0, bytes.length);
        } catch (InvalidPayloadException e) {
            return null;
        }
    }

    /** @return the text, or null if the JDK's strict decoder refuses the bytes */
    private static String jdkDecode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
