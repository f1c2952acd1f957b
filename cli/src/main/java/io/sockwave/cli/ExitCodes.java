package io.sockwave.cli;

/** The process exit statuses shared by the subcommands; 2, for an invalid command line, is picocli's own. */
public final class ExitCodes {
    /** Success: the work was done and, for a connection, it closed normally. */
    public static final int OK = 0;
    /** The connection or the run failed: could not connect, handshake rejected, bench errors, bad TLS files. */
    public static final int FAILURE = 1;
    /** The connection opened but ended abnormally: a close code other than 1000/1001, or no close at all. */
    public static final int ABNORMAL_CLOSE = 3;

    private ExitCodes() {}
}
