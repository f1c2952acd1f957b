package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * RFC 6455 §8.1: {@link Utf8Validator}, alone and inside a {@link Connection}, agrees with the JDK's decoder (set to
 * REPORT) on every input at every cut point, and fails at the first byte that no continuation could make valid.
 */
class Utf8Properties {

    /** Text made of whole code points from every plane, surrogates excepted. */
    @Provide
    Arbitrary<String> validText() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(0, 0x7F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFF)
                        .filter(cp -> cp < 0xD800 || cp > 0xDFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoints.list().ofMaxSize(40).map(list -> {
            StringBuilder s = new StringBuilder();
            list.forEach(s::appendCodePoint);
            return s.toString();
        });
    }

    /** Mostly valid UTF-8 with a few bytes replaced, inserted or cut off, so that most inputs are near misses. */
    @Provide
    Arbitrary<byte[]> nearlyValidBytes() {
        return nearMisses(validText());
    }

    /** @return the UTF-8 of {@code texts} with up to three bytes replaced, inserted or cut off */
    static Arbitrary<byte[]> nearMisses(Arbitrary<String> texts) {
        Arbitrary<List<int[]>> edits = Combinators.combine(
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 255)).as((kind, where, value) -> new int[] {kind, where, value})
                .list().ofMaxSize(3);
        return Combinators.combine(texts, edits).as((text, list) -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (int[] edit : list) {
                bytes = apply(bytes, edit);
            }
            return bytes;
        });
    }

    private static byte[] apply(byte[] bytes, int[] edit) {
        int at = bytes.length == 0 ? 0 : edit[1] % (bytes.length + 1);
        switch (edit[0]) {
            case 0 -> {
                if (at < bytes.length) {
                    bytes[at] = (byte) edit[2];
                }
                return bytes;
            }
            case 1 -> {
                return Frames.concat(Arrays.copyOf(bytes, at), new byte[] {(byte) edit[2]},
                        Arrays.copyOfRange(bytes, at, bytes.length));
            }
            default -> {
                return Arrays.copyOf(bytes, at);
            }
        }
    }

    @Property(tries = 1000)
    void validTextIsAlwaysAccepted(@ForAll("validText") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            Utf8Validator validator = new Utf8Validator();
            validator.feed(bytes, 0, cut);
            validator.feed(ByteBuffer.wrap(bytes, cut, bytes.length - cut));
            validator.finish();
        }
        assertEquals(List.of(new Event.Text(text)), Peer.server().receive(Frames.client(Frames.TEXT, bytes)));
    }

    @Property(tries = 1000)
    void validatorAgreesWithTheJdkAtEveryCutPoint(@ForAll("nearlyValidBytes") byte[] bytes) {
        boolean valid = Utf8Oracle.isValid(bytes);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertEquals(valid, validInTwoPieces(bytes, cut), "cut at " + cut);
        }
    }

    private static boolean validInTwoPieces(byte[] bytes, int cut) {
        Utf8Validator validator = new Utf8Validator();
        try {
            validator.feed(bytes, 0, cut);
            ByteBuffer rest = ByteBuffer.allocateDirect(bytes.length - cut).put(bytes, cut, bytes.length - cut).flip();
            validator.feed(rest);
            validator.finish();
            return true;
        } catch (InvalidPayloadException e) {
            return false;
        }
    }

    @Property(tries = 500)
    void connectionAcceptsOrFailsWith1007AsTheJdkDecidesAtEveryCutPoint(@ForAll("nearlyValidBytes") byte[] bytes) {
        boolean valid = Utf8Oracle.isValid(bytes);
        byte[] frame = Frames.client(Frames.TEXT, bytes);
        int header = frame.length - bytes.length;
        for (int cut = header; cut <= frame.length; cut++) {
            Peer server = Peer.server();
            List<Event> events = server.receive(Arrays.copyOf(frame, cut));
            events = new ArrayList<>(events);
            events.addAll(server.receive(Arrays.copyOfRange(frame, cut, frame.length)));

            assertEquals(1, events.size());
            if (valid) {
                assertEquals(new Event.Text(new String(bytes, StandardCharsets.UTF_8)), events.get(0));
            } else {
                assertEquals(CloseCode.INVALID_PAYLOAD_DATA, ((Event.Failure) events.get(0)).closeCode());
            }
        }
    }

    @Property(tries = 500)
    void failsAtTheFirstByteThatNoContinuationCouldMakeValid(@ForAll("nearlyValidBytes") byte[] bytes) {
        Utf8Validator validator = new Utf8Validator();
        int failedAt = -1;
        for (int i = 0; i < bytes.length && failedAt < 0; i++) {
            try {
                validator.feed(bytes, i, 1);
            } catch (InvalidPayloadException e) {
                failedAt = i;
            }
        }
        if (failedAt < 0) {
            assertTrue(Utf8Oracle.canContinue(bytes, bytes.length), "accepted a prefix nothing can complete");
        } else {
            assertTrue(Utf8Oracle.canContinue(bytes, failedAt), "failed later than it should: at " + failedAt);
            assertTrue(!Utf8Oracle.canContinue(bytes, failedAt + 1), "failed too early: at " + failedAt);
        }
    }
}
