package io.sockwave.cli;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's standard streams in UTF-8, whatever the platform's default charset: WebSocket text is UTF-8, and a
 * C locale must not turn it into question marks.
 */
public final class StandardStreams {
    private static final PrintStream OUT =
            new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    private static final PrintStream ERR =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    /** Set by the {@code sockwave} script from {@code [ -t 1 ]}: whether standard output is a terminal. */
    static final String OUT_TERMINAL_PROPERTY = "sockwave.stdout.terminal";

    private StandardStreams() {}

    /** @return standard output, UTF-8, flushed at each line */
    public static PrintStream out() {
        return OUT;
    }

    /** @return standard error, UTF-8, flushed at each line */
    public static PrintStream err() {
        return ERR;
    }

    /** @return a new reader of standard input, decoding UTF-8 (malformed bytes become U+FFFD) */
    public static BufferedReader in() {
        return new BufferedReader(new InputStreamReader(new FileInputStream(FileDescriptor.in), StandardCharsets.UTF_8));
    }

    /** @return whether a person is at a terminal: standard input and output are both one */
    public static boolean interactive() {
        return System.console() != null;
    }

    /**
     * Whether standard output alone is a terminal, whatever standard input is ({@code cmd | sockwave connect URL}):
     * as the {@code sockwave} script found it; else, on Linux, from the device {@code /proc/self/fd/1} links to; else
     * (the jar run by hand elsewhere) only when input and output both are, as {@link #interactive()}.
     *
     * @return whether standard output is a terminal
     */
    public static boolean outIsTerminal() {
        String told = System.getProperty(OUT_TERMINAL_PROPERTY);
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        try {
            return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return interactive();
        }
    }

    /** @return whether a file descriptor linking to this path is a terminal: a pseudo-terminal, console or serial line */
    static boolean isTerminalDevice(String path) {
        return path.startsWith("/dev/pts/") || path.startsWith("/dev/tty") || path.equals("/dev/console");
    }
}
