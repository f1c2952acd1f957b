package io.sockwave.cli;

/** The process exit statuses shared by the subcommands; 2, for an invalid command line, is picocli's own. */
public final class ExitCodes {
    /** Success: the work was done and, for a connection, it closed normally. */
    public static final int OK = 0;
    /** The connection or the run failed: could not connect, handshake rejected, bench errors, bad TLS files. */
    public static final int FAILURE = 1;
    /** The connection opened but ended abnormally: a close code other than 1000/1001, or no close at all. */
    public static final int ABNORMAL_CLOSE = 3;
    /** {@code connect}: the server refused the opening handshake (an HTTP status other than 101) or answered it wrongly. */
    public static final int HANDSHAKE_FAILED = 4;
    /** {@code connect}: the TLS handshake failed (untrusted certificate, wrong host name, no common protocol...). */
    public static final int TLS_FAILURE = 5;
    /** {@code connect}: the proxy refused the tunnel or could not be reached. */
    public static final int PROXY_FAILURE = 6;
    /** {@code connect}: connecting timed out, or a ping went unanswered within {@code --ping-timeout}. */
    public static final int TIMEOUT = 7;

    private ExitCodes() {}
}
