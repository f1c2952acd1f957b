package io.sockwave.cli;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The process's standard streams in UTF-8, whatever the platform's default charset: WebSocket text is UTF-8, and a
 * C locale must not turn it into question marks.
 */
public final class StandardStreams {
    private static final PrintStream OUT =
            new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    private static final PrintStream ERR =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

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
}
