package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.CONTINUATION;
import static io.sockwave.protocol.Frames.TEXT;
import static io.sockwave.protocol.Frames.clientFragment;
import static io.sockwave.protocol.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 §8.1: text must be UTF-8, and an endpoint that meets bytes that are not fails the connection with 1007.
 * Fail-fast: the failure comes at the first byte after which no continuation could make the text valid, in the
 * middle of a frame or of a fragmented message, not when the message ends.
 *
 * <p>The cases are those of Autobahn's section 6 (after Markus Kuhn's UTF-8 stress test), each with the index of
 * the first byte that makes it invalid, worked out by hand from Unicode's Table 3-7.
 */
class Section8_1Utf8Test {
    private static final int VALID = -1;
    /** Valid up to its end, where a code point is left unfinished: fails when the message ends. */
    private static final int INCOMPLETE = -2;

    static Stream<Arguments> cases() {
        return Stream.of(
                // 6.2, 6.5: valid text
                c("6.2 Hello-µ@ßöäüàá-UTF-8!!", VALID, utf8("Hello-µ@ßöäüàá-UTF-8!!")),
                c("6.5.1 kosme", VALID, 0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5),
                // 6.3: kosme followed by a surrogate; fails on the A0 after ED
                c("6.3.1 kosme+ED A0 80+edited", 12, 0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5,
                        0xed, 0xa0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64),
                // 6.7: first sequence of each length
                c("6.7.1 U+0000", VALID, 0x00),
                c("6.7.2 U+0080", VALID, 0xc2, 0x80),
                c("6.7.3 U+0800", VALID, 0xe0, 0xa0, 0x80),
                c("6.7.4 U+10000", VALID, 0xf0, 0x90, 0x80, 0x80),
                // 6.8: five- and six-byte forms are gone from UTF-8
                c("6.8.1 5-byte", 0, 0xf8, 0x88, 0x80, 0x80, 0x80),
                c("6.8.2 6-byte", 0, 0xfc, 0x84, 0x80, 0x80, 0x80, 0x80),
                // 6.9: last sequence of each length
                c("6.9.1 U+007F", VALID, 0x7f),
                c("6.9.2 U+07FF", VALID, 0xdf, 0xbf),
                c("6.9.3 U+FFFF", VALID, 0xef, 0xbf, 0xbf),
                c("6.9.4 U+10FFFF", VALID, 0xf4, 0x8f, 0xbf, 0xbf),
                // 6.10: beyond U+10FFFF
                c("6.10.1 F7 BF BF BF", 0, 0xf7, 0xbf, 0xbf, 0xbf),
                c("6.10.3 U+110000", 1, 0xf4, 0x90, 0x80, 0x80),
                // 6.11: other boundaries
                c("6.11.1 U+D7FF", VALID, 0xed, 0x9f, 0xbf),
                c("6.11.2 U+E000", VALID, 0xee, 0x80, 0x80),
                c("6.11.3 U+FFFD", VALID, 0xef, 0xbf, 0xbd),
                // 6.12: unexpected continuation bytes
                c("6.12.1 80", 0, 0x80),
                c("6.12.2 BF", 0, 0xbf),
                c("6.12.3 a 80 BF", 1, 'a', 0x80, 0xbf),
                // 6.13: lonely start bytes followed by a space
                c("6.13.1 C0 space", 0, 0xc0, 0x20),
                c("6.13.2 C2 space", 1, 0xc2, 0x20),
                c("6.13.3 E1 space", 1, 0xe1, 0x20),
                c("6.13.4 F1 space", 1, 0xf1, 0x20),
                // 6.14: last continuation byte missing, at the end of the message
                c("6.14.2 C2", INCOMPLETE, 0xc2),
                c("6.14.3 E0 A0", INCOMPLETE, 0xe0, 0xa0),
                c("6.14.4 F0 90 80", INCOMPLETE, 0xf0, 0x90, 0x80),
                c("6.14.8 EF BF", INCOMPLETE, 0xef, 0xbf),
                c("6.14.9 F4 8F BF", INCOMPLETE, 0xf4, 0x8f, 0xbf),
                // 6.14 with something after the cut: the next byte is no continuation
                c("6.14 E0 A0 then a", 2, 0xe0, 0xa0, 'a'),
                // 6.15: concatenated incomplete sequences
                c("6.15.1 C2 E0 A0", 1, 0xc2, 0xe0, 0xa0),
                // 6.16: bytes that never appear
                c("6.16.1 FE", 0, 0xfe),
                c("6.16.2 FF", 0, 0xff),
                c("6.16.3 FE FE FF FF", 0, 0xfe, 0xfe, 0xff, 0xff),
                // 6.17: overlong '/'
                c("6.17.1 C0 AF", 0, 0xc0, 0xaf),
                c("6.17.2 E0 80 AF", 1, 0xe0, 0x80, 0xaf),
                c("6.17.3 F0 80 80 AF", 1, 0xf0, 0x80, 0x80, 0xaf),
                c("6.17.4 F8 80 80 80 AF", 0, 0xf8, 0x80, 0x80, 0x80, 0xaf),
                // 6.18: largest overlongs
                c("6.18.1 C1 BF", 0, 0xc1, 0xbf),
                c("6.18.2 E0 9F BF", 1, 0xe0, 0x9f, 0xbf),
                c("6.18.3 F0 8F BF BF", 1, 0xf0, 0x8f, 0xbf, 0xbf),
                // 6.19: overlong NUL
                c("6.19.1 C0 80", 0, 0xc0, 0x80),
                c("6.19.2 E0 80 80", 1, 0xe0, 0x80, 0x80),
                c("6.19.3 F0 80 80 80", 1, 0xf0, 0x80, 0x80, 0x80),
                // 6.20: single UTF-16 surrogates
                c("6.20.1 U+D800", 1, 0xed, 0xa0, 0x80),
                c("6.20.4 U+DB80", 1, 0xed, 0xae, 0x80),
                c("6.20.7 U+DFFF", 1, 0xed, 0xbf, 0xbf),
                // 6.21: paired surrogates are no better
                c("6.21.1 U+D800 U+DC00", 1, 0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80),
                c("6.21.8 U+DBFF U+DFFF", 1, 0xed, 0xaf, 0xbf, 0xed, 0xbf, 0xbf),
                // 6.22: noncharacters are valid UTF-8
                c("6.22.1 U+FFFE", VALID, 0xef, 0xbf, 0xbe),
                c("6.22.34 U+10FFFE", VALID, 0xf4, 0x8f, 0xbf, 0xbe),
                // invalid after a long ASCII run, to cross the eight-byte fast path
                c("ASCII then C0", 17, concat(utf8("seventeen bytes!!"), 0xc0, 'x')),
                c("ASCII then truncated", 22, concat(utf8("twenty bytes of text"), 0xe2, 0x82, 'x')));
    }

    private static Arguments c(String name, int failsAt, int... bytes) {
        return Arguments.of(name, failsAt, Frames.bytes(bytes));
    }

    private static Arguments c(String name, int failsAt, byte[] bytes) {
        return Arguments.of(name, failsAt, bytes);
    }

    private static byte[] concat(byte[] head, int... tail) {
        return Frames.concat(head, Frames.bytes(tail));
    }

    private static final Event.Failure INVALID = new Event.Failure(CloseCode.INVALID_PAYLOAD_DATA,
            "invalid UTF-8 in text");
    private static final Event.Failure UNFINISHED = new Event.Failure(CloseCode.INVALID_PAYLOAD_DATA,
            "text ends inside a UTF-8 sequence");

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void casesAgreeWithTheJdkDecoder(String name, int failsAt, byte[] text) {
        assertEquals(failsAt == VALID, Utf8Oracle.isValid(text), "the case table disagrees with the JDK");
        assertEquals(failsAt == VALID, Utf8Validator.isValid(text, 0, text.length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void singleFrameFedByteByByteFailsAtTheFirstInvalidByte(String name, int failsAt, byte[] text) {
        Peer server = Peer.server();
        byte[] frame = Frames.client(TEXT, text);
        int header = frame.length - text.length;
        assertEquals(List.of(), server.receive(Arrays.copyOf(frame, header)));

        List<Event> seen = new ArrayList<>();
        int firstEventAt = -1;
        for (int i = 0; i < text.length && seen.isEmpty(); i++) {
            seen.addAll(server.receive(new byte[] {frame[header + i]}));
            firstEventAt = seen.isEmpty() ? -1 : i;
        }

        if (failsAt >= 0) {
            assertEquals(List.of(INVALID), seen);
            assertEquals(failsAt, firstEventAt, "failed at the wrong byte");
            assertEquals(CloseCode.INVALID_PAYLOAD_DATA, server.output().get(0).closeCode());
        } else if (failsAt == INCOMPLETE) {
            assertEquals(List.of(UNFINISHED), seen);
            assertEquals(text.length - 1, firstEventAt);
        } else {
            assertEquals(List.of(new Event.Text(new String(text, StandardCharsets.UTF_8))), seen);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void middleFragmentFedByteByByteFailsBeforeTheMessageEnds(String name, int failsAt, byte[] text) {
        Peer server = Peer.server();
        byte[] fragment = clientFragment(false, CONTINUATION, text);
        int header = fragment.length - text.length;
        server.receive(Frames.concat(clientFragment(false, TEXT, utf8("first fragment ")),
                Arrays.copyOf(fragment, header)));

        List<Event> seen = new ArrayList<>();
        int firstEventAt = -1;
        for (int i = 0; i < text.length && seen.isEmpty(); i++) {
            seen.addAll(server.receive(new byte[] {fragment[header + i]}));
            firstEventAt = seen.isEmpty() ? -1 : i;
        }
        List<Event> atEnd = server.receive(clientFragment(true, CONTINUATION, new byte[0]));

        if (failsAt >= 0) {
            assertEquals(List.of(INVALID), seen);
            assertEquals(failsAt, firstEventAt, "failed at the wrong byte");
            assertEquals(List.of(), atEnd, "nothing after the failure");
        } else {
            assertEquals(List.of(), seen, "no verdict before the message ends");
            assertEquals(List.of(failsAt == INCOMPLETE ? UNFINISHED
                    : new Event.Text("first fragment " + new String(text, StandardCharsets.UTF_8))), atEnd);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void directBuffersAreValidatedAlike(String name, int failsAt, byte[] text) {
        byte[] frame = Frames.client(TEXT, text);
        ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
        EventQueue events = new EventQueue();

        new Connection(ConnectionConfig.of(Role.SERVER)).receive(direct, events);

        Event expected = failsAt >= 0 ? INVALID : failsAt == INCOMPLETE ? UNFINISHED
                : new Event.Text(new String(text, StandardCharsets.UTF_8));
        assertEquals(List.of(expected), events.drain());

        Utf8Validator validator = new Utf8Validator();
        ByteBuffer buffer = ByteBuffer.allocateDirect(text.length).put(text).flip();
        if (failsAt >= 0) {
            assertThrows(InvalidPayloadException.class, () -> validator.feed(buffer));
        } else {
            validator.feed(buffer);
            assertEquals(0, buffer.position(), "feed leaves the position alone");
            if (failsAt == INCOMPLETE) {
                assertThrows(InvalidPayloadException.class, validator::finish);
            } else {
                validator.finish();
            }
        }
    }

    // ------------------------------------------------------------------ exhaustive checks against the JDK

    @Test
    void everyScalarValueEncodesToValidUtf8() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            if (!Utf8Validator.isValid(bytes, 0, bytes.length)) {
                throw new AssertionError("refused U+" + Integer.toHexString(cp));
            }
        }
    }

    @Test
    void everyOneAndTwoByteSequenceAgreesWithTheJdk() {
        byte[] bytes = new byte[2];
        for (int a = 0; a < 256; a++) {
            bytes[0] = (byte) a;
            assertEquals(Utf8Oracle.isValid(bytes, 0, 1), Utf8Validator.isValid(bytes, 0, 1), "byte " + a);
            for (int b = 0; b < 256; b++) {
                bytes[1] = (byte) b;
                assertEquals(Utf8Oracle.isValid(bytes), Utf8Validator.isValid(bytes, 0, 2), a + " " + b);
            }
        }
    }

    @Test
    void everyThreeByteSequenceWithAMultiByteLeadAgreesWithTheJdk() {
        byte[] bytes = new byte[3];
        for (int a = 0xC0; a < 256; a++) {
            for (int b = 0x70; b < 0xD0; b++) {
                for (int c = 0x70; c < 0xD0; c++) {
                    bytes[0] = (byte) a;
                    bytes[1] = (byte) b;
                    bytes[2] = (byte) c;
                    if (Utf8Oracle.isValid(bytes) != Utf8Validator.isValid(bytes, 0, 3)) {
                        throw new AssertionError("disagree on " + a + " " + b + " " + c);
                    }
                }
            }
        }
    }

    @Test
    void fourByteSequencesAgreeWithTheJdkAtEveryBoundary() {
        int[] tails = {0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0};
        byte[] bytes = new byte[4];
        for (int a = 0xF0; a < 256; a++) {
            for (int b = 0x70; b < 0xD0; b++) {
                for (int c : tails) {
                    for (int d : tails) {
                        bytes[0] = (byte) a;
                        bytes[1] = (byte) b;
                        bytes[2] = (byte) c;
                        bytes[3] = (byte) d;
                        if (Utf8Oracle.isValid(bytes) != Utf8Validator.isValid(bytes, 0, 4)) {
                            throw new AssertionError("disagree on " + a + " " + b + " " + c + " " + d);
                        }
                    }
                }
            }
        }
    }

    @Test
    void validatorIsReusableAfterAFailure() {
        Utf8Validator validator = new Utf8Validator();
        assertThrows(InvalidPayloadException.class, () -> validator.feed(Frames.bytes(0xE2, 0x28), 0, 2));

        validator.feed(utf8("fine"), 0, 4);
        validator.finish();
    }
}
