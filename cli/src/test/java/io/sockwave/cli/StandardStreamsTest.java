package io.sockwave.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Whether {@code /proc/self/fd/1} names a terminal: what {@code connect} escapes control characters for. */
class StandardStreamsTest {
    @Test
    void pseudoTerminalsConsolesAndSerialLinesAreTerminals() {
        assertTrue(StandardStreams.isTerminalDevice("/dev/pts/3"));
        assertTrue(StandardStreams.isTerminalDevice("/dev/tty1"));
        assertTrue(StandardStreams.isTerminalDevice("/dev/ttyS0"));
        assertTrue(StandardStreams.isTerminalDevice("/dev/console"));
    }

    @Test
    void pipesFilesSocketsAndNullAreNot() {
        assertFalse(StandardStreams.isTerminalDevice("pipe:[123456]"));
        assertFalse(StandardStreams.isTerminalDevice("/home/user/replies.txt"));
        assertFalse(StandardStreams.isTerminalDevice("socket:[42]"));
        assertFalse(StandardStreams.isTerminalDevice("/dev/null"));
    }
}
