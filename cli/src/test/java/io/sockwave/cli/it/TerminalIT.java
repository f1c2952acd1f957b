package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.cli.it.SockwaveProcess.Served;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a person at a terminal sees, with the commands run on a pseudo-terminal by util-linux's {@code script}:
 * {@code connect} marks incoming messages, and {@code bench} redraws one progress line in place.
 */
class TerminalIT {
    private static final Path SCRIPT = Path.of("/usr/bin/script");

    @BeforeAll
    static void requireScript() {
        Assumptions.assumeTrue(Files.isExecutable(SCRIPT), "util-linux's script is needed for a pseudo-terminal");
    }

    /** Runs the jar with these arguments on a pseudo-terminal; its input and output are this process's pipes. */
    private static SockwaveProcess onTerminal(String... args) throws Exception {
        StringBuilder command = new StringBuilder("'" + SockwaveProcess.javaExecutable() + "' -jar '"
                + SockwaveProcess.jar() + "'");
        for (String arg : args) {
            command.append(" '").append(arg).append("'");
        }
        return SockwaveProcess.startCommand(Path.of("."), Map.of(), SCRIPT.toString(), "-qfec", command.toString(),
                "/dev/null");
    }

    @Test
    void connectOnATerminalMarksIncomingMessages() throws Exception {
        try (Served server = SockwaveProcess.serve("--echo-only", "--quiet");
                SockwaveProcess connect = onTerminal("connect", server.uri("ws", "/echo").toString())) {
            connect.awaitOut("^connected to ws://127\\.0\\.0\\.1:\\d+/echo( \\(extensions permessage-deflate\\))?\\r?$");
            connect.write("hi there\n");
            connect.awaitOut("^< hi there\\r?$");
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
            connect.awaitOut("^closed 1000 \\(normal closure\\)\\r?$");
        }
    }

    /**
     * A server's escape sequences (retitle the window, write the clipboard through OSC 52, clear the screen) print
     * visibly on a terminal instead of acting on it; they used to reach the terminal as they came.
     */
    @Test
    void connectOnATerminalEscapesTheControlCharactersOfMessages() throws Exception {
        String hostile = "\u001b]0;pwned\u0007\u001b]52;c;aGk=\u0007\u001b[2Jdone";
        try (Served server = SockwaveProcess.serve("--echo-only", "--quiet");
                SockwaveProcess connect = onTerminal("connect", server.uri("ws", "/echo").toString(),
                        "--send", hostile)) {
            connect.awaitOut("^< " + Pattern.quote("\\x1b]0;pwned\\x07\\x1b]52;c;aGk=\\x07\\x1b[2Jdone")
                    + "\\r?$");
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
            assertTrue(connect.outLines().stream().noneMatch(line -> line.contains("\u001b]")), connect.toString());
        }
    }

    @Test
    void benchOnATerminalRedrawsOneProgressLine() throws Exception {
        try (Served server = SockwaveProcess.serve("--echo-only", "--quiet");
                SockwaveProcess bench = onTerminal("bench", server.uri("ws", "/echo").toString(), "-c", "1",
                        "-d", "1500ms")) {
            assertEquals(0, bench.awaitExit(), bench.toString());
            // Each redraw starts with a carriage return (which the line reader also ends lines at) and clears
            // the rest of the line, so the progress stays on one screen line.
            List<String> draws = bench.outLines().stream().filter(l -> l.endsWith("\u001b[K")).toList();
            assertTrue(draws.size() >= 4, "redrawn several times: " + bench);
            for (String draw : draws) {
                assertTrue(draw.matches("\\s+\\d+\\.\\d s  \\d+ echoes  [\\d.]+ msg/s  0 errors\u001b\\[K"), draw);
            }
            bench.awaitOut("^  errors      0\\r?$");
        }
    }
}
