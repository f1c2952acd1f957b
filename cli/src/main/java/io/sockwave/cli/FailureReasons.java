package io.sockwave.cli;

import io.sockwave.protocol.handshake.HandshakeException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns why a connect failed into one line a person can act on. */
public final class FailureReasons {
    /** How the JDK words an alert the peer sent, before the alert's name. */
    private static final String RECEIVED_ALERT = "Received fatal alert: ";

    private FailureReasons() {}

    /**
     * @param failure what a connect future failed with, wrapped or not
     * @return the reason, such as {@code handshake failed: wrong Sec-WebSocket-Accept: expected ..., got ...}
     */
    public static String describe(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getMessage();
        if (e instanceof HandshakeException) {
            return "handshake failed: " + message;
        }
        if (e instanceof TimeoutException) {
            return "timed out" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        if (e instanceof SSLException) {
            return "TLS handshake failed: " + message + hint(message);
        }
        return message;
    }

    /**
     * A certificate alert the server sent is about this client's certificate (or its absence): --insecure, which
     * only stops this end checking the server's, would not help, and used to be suggested.
     */
    private static String hint(String sslMessage) {
        if (sslMessage.startsWith(RECEIVED_ALERT)) {
            String alert = sslMessage.substring(RECEIVED_ALERT.length());
            return alert.contains("certificate") || alert.equals("unknown_ca")
                    ? " (the server wants a client certificate it trusts)" : "";
        }
        boolean untrusted = sslMessage.contains("PKIX") || sslMessage.contains("certificate")
                || sslMessage.contains("No subject alternative");
        return untrusted ? " (for a self-signed test server, add --insecure)" : "";
    }
}
