package io.sockwave.protocol;

import java.security.SecureRandom;

/**
 * Where a client's mask keys come from. RFC 6455 §5.3 asks for a fresh key per frame, "derived from a strong source
 * of entropy", so that a hostile page cannot predict the bytes on the wire. Tests may supply a fixed source.
 */
@FunctionalInterface
public interface MaskKeySource {
    /** @return the next mask key, big-endian: its most significant byte is sent first */
    int nextKey();

    /**
     * The default source: a {@link SecureRandom} drawn from in batches of 1 KiB per thread, so that a key costs an
     * array read rather than a call into the entropy source. Safe for use from any thread.
     *
     * @return the shared secure source
     */
    static MaskKeySource secure() {
        return SecureMaskKeys.INSTANCE;
    }
}
