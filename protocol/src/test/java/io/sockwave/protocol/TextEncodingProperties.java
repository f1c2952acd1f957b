package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * RFC 6455 §5.6: a text frame carries its message as UTF-8. The encoder writes the text straight into the frame, so
 * its bytes are checked against the JDK's encoder for every kind of character (ASCII, 2- and 3-byte forms, surrogate
 * pairs), from a String and from other character sequences, in both roles.
 */
class TextEncodingProperties {

    /** Valid text: code points from every UTF-8 length class, so surrogates only ever come in pairs. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Integer> codePoints = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x7F),
                Arbitraries.integers().between(0x80, 0x7FF),
                Arbitraries.integers().between(0x800, 0xFFFF).filter(c -> c < 0xD800 || c > 0xDFFF),
                Arbitraries.integers().between(0x10000, 0x10FFFF));
        return codePoints.list().ofMaxSize(300).map(list -> {
            StringBuilder text = new StringBuilder();
            list.forEach(text::appendCodePoint);
            return text.toString();
        }).edgeCases(edges -> edges.add(""));
    }

    @Property(tries = 300)
    void serverTextFramesCarryTheJdkUtf8Bytes(@ForAll("texts") String text, @ForAll boolean asBuilder) {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        CharSequence message = asBuilder ? new StringBuilder(text) : text;

        Frames.Decoded frame = Frames.decode(server.sendText(message));

        assertEquals(Frames.TEXT, frame.opcode());
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), frame.payload());
    }

    @Property(tries = 300)
    void clientTextFramesCarryTheJdkUtf8BytesMasked(@ForAll("texts") String text, @ForAll boolean asBuilder) {
        Connection client = new Connection(ConnectionConfig.of(Role.CLIENT));
        CharSequence message = asBuilder ? new StringBuilder(text) : text;

        Frames.Decoded frame = Frames.decode(client.sendText(message));

        assertEquals(true, frame.masked());
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), frame.payload());
    }

    @Property(tries = 100)
    void anUnpairedSurrogateAnywhereIsRefusedAndNothingIsSent(@ForAll("texts") String text,
                                                             @ForAll boolean high, @ForAll boolean asBuilder) {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        String bad = text + (high ? '\uD800' : '\uDC00') + "x";
        CharSequence message = asBuilder ? new StringBuilder(bad) : bad;

        assertThrows(IllegalArgumentException.class, () -> server.sendText(message));
        // The refusal changed nothing: the next message goes out whole.
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Frames.decode(server.sendText(text)).payload());
    }

    @Example
    void textWhoseUtf8FormCannotFitAFrameArrayIsRefusedNotOverflowed() {
        // 716 million three-byte chars: 2.148e9 bytes, past what an int counts; a String cannot be this long.
        CharSequence huge = new CharSequence() {
            @Override
            public int length() {
                return 716_000_000;
            }

            @Override
            public char charAt(int index) {
                return '\u20AC';
            }

            @Override
            public CharSequence subSequence(int start, int end) {
                throw new UnsupportedOperationException();
            }
        };
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> server.sendText(huge));
        assertEquals(true, refused.getMessage().contains("too long"), refused.getMessage());
    }

    @Property(tries = 50)
    void binaryFramesLeaveTheCallersBufferAsItWas(@ForAll("texts") String text) {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        ByteBuffer data = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        int position = data.position();

        server.sendBinary(data);

        assertEquals(position, data.position());
        assertEquals(data.capacity(), data.limit());
    }
}
