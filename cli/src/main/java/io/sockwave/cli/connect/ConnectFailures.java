package io.sockwave.cli.connect;

import io.sockwave.ProxyException;
import io.sockwave.cli.ExitCodes;
import io.sockwave.protocol.handshake.HandshakeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** The exit status of a connect that failed, by what it failed with. */
final class ConnectFailures {
    private ConnectFailures() {}

    /**
     * @param failure what the connect future failed with, wrapped or not
     * @return one of {@link ExitCodes}: proxy, TLS, handshake, timeout, or the general failure
     */
    static int exitCode(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ProxyException) {
            return ExitCodes.PROXY_FAILURE;
        }
        if (e instanceof SSLException) {
            return ExitCodes.TLS_FAILURE;
        }
        if (e instanceof HandshakeException) {
            return ExitCodes.HANDSHAKE_FAILED;
        }
        if (e instanceof TimeoutException) {
            return ExitCodes.TIMEOUT;
        }
        return ExitCodes.FAILURE;
    }
}
