package io.sockwave.cli;

import io.sockwave.protocol.handshake.HandshakeException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns why a connect failed into one line a person can act on. */
public final class FailureReasons {
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
            boolean untrusted = message.contains("PKIX") || message.contains("certificate")
                    || message.contains("No subject alternative");
            return "TLS handshake failed: " + message
                    + (untrusted ? " (for a self-signed test server, add --insecure)" : "");
        }
        return message;
    }
}
