package io.sockwave.cli.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a hostile server's terminal escape sequences become on {@code connect}'s standard output: visible
 * {@code \xNN} on a terminal, or when forced; the exact bytes in a pipe or file, or when forced.
 */
class ControlEscapesTest {
    /** OSC 0 (retitle the window), OSC 52 (write the clipboard), a screen clear and a carriage return. */
    private static final String HOSTILE = "\u001b]0;pwned\u0007\u001b]52;c;aGk=\u001b\\\u001b[2J\rdone";

    @Test
    void escapingIsForcedEitherWayOrFollowsWhetherStandardOutputIsATerminal() {
        assertTrue(ControlEscapes.wanted(null, true));
        assertFalse(ControlEscapes.wanted(null, false));
        assertTrue(ControlEscapes.wanted(Boolean.TRUE, false));
        assertFalse(ControlEscapes.wanted(Boolean.FALSE, true));
    }

    @Test
    void everyC0ButTabAndNewlineDelAndEveryC1PrintAsTwoHexDigits() {
        assertEquals("\\x1b]0;pwned\\x07\\x1b]52;c;aGk=\\x1b\\\\x1b[2J\\x0ddone", ControlEscapes.escape(HOSTILE));
        assertEquals("\\x00\\x1f\\x7f\\x80\\x9b\\x9f", ControlEscapes.escape("\u0000\u001f\u007f\u0080\u009b\u009f"));
        assertEquals("a\tb\nc", ControlEscapes.escape("a\tb\nc"));
        assertEquals("~\u00a0é€😀\\", ControlEscapes.escape("~\u00a0é€😀\\"));
    }

    @Test
    void textWithoutControlsIsNotCopied() {
        String plain = "{\"price\": 42}\twith a tab";
        assertSame(plain, ControlEscapes.escape(plain));
    }

    @Test
    void thePrinterEscapesTextOnlyWhenAskedAndKeepsTheBytesOtherwise() {
        assertEquals("\\x1b]0;pwned\\x07\\x1b]52;c;aGk=\\x1b\\\\x1b[2J\\x0ddone\n", printText(true, false));
        assertEquals(HOSTILE + "\n", printText(false, false));
        assertEquals("\\x1b]0;pwned\\x07\\x1b]52;c;aGk=\\x1b\\\\x1b[2J\\x0ddone\n", printText(true, true));
        assertEquals(HOSTILE + "\n", printText(false, true));
    }

    @Test
    void binaryPrintedAsItsBytesIsDecodedAndEscapedOnlyWhenAsked() {
        // U+009B, CSI as one C1 control, in UTF-8; and a lone byte that is no UTF-8.
        byte[] bytes = {0x1b, '[', '2', 'J', (byte) 0xc2, (byte) 0x9b, '1', 'm', (byte) 0x9b};
        assertEquals("\\x1b[2J\\x9b1m\ufffd", new String(printBinary(bytes, true), StandardCharsets.UTF_8));
        assertEquals(ByteBuffer.wrap(bytes), ByteBuffer.wrap(printBinary(bytes, false)));
    }

    @Test
    void decoratedBinaryIsHexAlready() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new MessagePrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, false, false, false, false,
                true).binary(ByteBuffer.wrap(new byte[] {0x1b, 0x07}));
        assertEquals("[binary 2 bytes] 1b07\n", bytes.toString(StandardCharsets.UTF_8));
    }

    private static String printText(boolean escape, boolean raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new MessagePrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, raw, false, false, false,
                escape).text(HOSTILE);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static byte[] printBinary(byte[] message, boolean escape) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new MessagePrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, false, true, false, false,
                escape).binary(ByteBuffer.wrap(message));
        return bytes.toByteArray();
    }
}
