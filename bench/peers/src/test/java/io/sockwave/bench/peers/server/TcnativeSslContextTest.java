package io.sockwave.bench.peers.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/**
 * The {@code openssl} provider's {@link SSLContext}, as Sockwave's server gets it (its wss:// echo and handshakes are
 * in {@link WssScenariosSmokeTest}).
 */
class TcnativeSslContextTest {
    /**
     * {@code OpenSslEngine} is the kind a collected engine frees itself (a reference-counted one, from
     * {@code OPENSSL_REFCNT}, would leak its native SSL unless released, which Sockwave never does); its package is
     * the one Sockwave's TLS layer hands direct buffers to.
     */
    @Test
    void handsOutTcnativesGarbageCollectedEngines() throws Exception {
        SSLContext context = TlsProvider.OPENSSL.sslContext(BenchCertificate.shared());
        SSLEngine engine = context.createSSLEngine();
        assertEquals("io.netty.handler.ssl.OpenSslEngine", engine.getClass().getName());
        engine.closeInbound();
        engine.closeOutbound();
    }

    /** An engine is all Sockwave asks of the context: sockets are refused, not half made. */
    @Test
    void hasNoSockets() throws Exception {
        SSLContext context = TlsProvider.OPENSSL.sslContext(BenchCertificate.shared());
        assertThrows(UnsupportedOperationException.class, context::getServerSocketFactory);
    }
}
