package io.sockwave.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadTest {
    @Test
    void echoOfTheSameMessageMatchesAsTextAndBinary() {
        for (int size : new int[] {0, 1, 15, 16, 17, 1000}) {
            Payload p = new Payload(size, 3);
            for (long seq : new long[] {0, 1, 255, 1L << 40}) {
                String text = p.text(seq);
                assertEquals(size, text.length());
                assertNull(p.mismatch(seq, text), "size " + size + " seq " + seq);
                assertNull(p.mismatch(seq, ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1))));
                assertEquals(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)), p.bytes(seq));
            }
        }
    }

    @Test
    void wrongLengthIsReported() {
        Payload p = new Payload(64, 0);
        assertEquals("expected 64 characters, got 63", p.mismatch(5, p.text(5).substring(1)));
        assertEquals("expected 64 bytes, got 65", p.mismatch(5, ByteBuffer.allocate(65)));
    }

    @Test
    void anotherMessagesEchoDoesNotMatch() {
        Payload p = new Payload(64, 0);
        assertEquals("content differs from character 15", p.mismatch(5, p.text(4)));
        assertEquals("content differs from byte 14", p.mismatch(5, p.bytes(16 + 5)));
    }

    @Test
    void anotherConnectionsEchoDoesNotMatch() {
        Payload mine = new Payload(64, 0);
        Payload theirs = new Payload(64, 1);
        assertNotEquals(null, mine.mismatch(7, theirs.text(7)));
    }

    @Test
    void singleCorruptedByteIsFoundAnywhere() {
        Payload p = new Payload(100, 2);
        byte[] echo = p.text(9).getBytes(StandardCharsets.ISO_8859_1);
        echo[99] ^= 1;
        assertEquals("content differs from byte 99", p.mismatch(9, ByteBuffer.wrap(echo)));
    }

    @Test
    void payloadIsPrintableAscii() {
        for (char c : new Payload(4096, 5).text(123).toCharArray()) {
            assertEquals(true, c >= '0' && c <= 'z', "char " + (int) c);
        }
    }
}
