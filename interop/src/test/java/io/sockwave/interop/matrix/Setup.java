package io.sockwave.interop.matrix;

import io.sockwave.testsupport.TestCertificates;
import java.util.List;

/**
 * How both ends of a connection are set up for one feature: the subprotocols (a client offers them, most preferred
 * first; a server speaks them), the permessage-deflate variant (a client offers it, Sockwave's server imposes it, a
 * peer's server just enables deflate), and the certificate for wss:// (a server presents it, a client trusts it).
 */
public record Setup(List<String> subprotocols, Deflate deflate, int windowBits, TestCertificates tls) {
    /** The permessage-deflate variants of the matrix. */
    public enum Deflate { NONE, DEFAULT, NO_CONTEXT_TAKEOVER, SMALLEST_WINDOW }

    public static Setup plain() {
        return new Setup(List.of(), Deflate.NONE, 15, null);
    }

    public Setup withSubprotocols(String... protocols) {
        return new Setup(List.of(protocols), deflate, windowBits, tls);
    }

    public Setup withDeflate(Deflate variant, int bits) {
        return new Setup(subprotocols, variant, bits, tls);
    }

    public Setup withTls(TestCertificates certificates) {
        return new Setup(subprotocols, deflate, windowBits, certificates);
    }
}
