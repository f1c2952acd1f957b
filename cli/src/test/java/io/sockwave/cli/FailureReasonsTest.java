package io.sockwave.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.handshake.HandshakeException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureReasonsTest {
    @Test
    void handshakeFailuresSayWhatTheServerGotWrong() {
        assertEquals("handshake failed: wrong Sec-WebSocket-Accept: expected a, got b", FailureReasons.describe(
                new ExecutionException(new HandshakeException(101, "wrong Sec-WebSocket-Accept: expected a, got b"))));
    }

    @Test
    void wrappersAreLookedThrough() {
        assertEquals("Connection refused", FailureReasons.describe(
                new CompletionException(new ExecutionException(new ConnectException("Connection refused")))));
    }

    @Test
    void untrustedCertificatesSuggestInsecure() {
        assertEquals("TLS handshake failed: PKIX path building failed (for a self-signed test server, add"
                + " --insecure)", FailureReasons.describe(new SSLHandshakeException("PKIX path building failed")));
        assertEquals("TLS handshake failed: Received fatal alert: protocol_version",
                FailureReasons.describe(new SSLHandshakeException("Received fatal alert: protocol_version")));
    }

    /** A server requiring client certificates (serve --tls-client-ca) refused this client's: --insecure would not help. */
    @Test
    void certificateAlertsFromTheServerAreAboutTheClientsCertificate() {
        for (String alert : new String[] {"bad_certificate", "certificate_required", "unknown_ca",
            "certificate_unknown", "certificate_expired"}) {
            assertEquals("TLS handshake failed: Received fatal alert: " + alert + " (the server wants a client"
                    + " certificate it trusts)",
                    FailureReasons.describe(new SSLHandshakeException("Received fatal alert: " + alert)));
        }
    }

    @Test
    void otherFailuresKeepTheirMessageOrName() {
        assertEquals("unknown host nowhere.invalid",
                FailureReasons.describe(new UnknownHostException("nowhere.invalid")));
        assertEquals("timed out", FailureReasons.describe(new TimeoutException()));
        assertEquals("IllegalStateException", FailureReasons.describe(new IllegalStateException()));
    }
}
