package io.sockwave.cli;

/** The process exit statuses shared by the subcommands. */
public final class ExitCodes {
    /** Success: the work was done and, for a connection, it closed normally. */
    public static final int OK = 0;
    /** The connection or the run failed: could not connect, handshake rejected, bench errors, bad TLS files. */
    public static final int FAILURE = 1;
    /** Invalid command line (picocli's own status for usage errors). */
    public static final int USAGE = 2;
    /** The connection opened but ended abnormally: a close code other than 1000/1001, or no close at all. */
    public static final int ABNORMAL_CLOSE = 3;

    private ExitCodes() {}
}
