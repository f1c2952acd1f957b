package io.sockwave.protocol;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/** The batched {@link MaskKeySource#secure()} source: 256 keys per refill, one batch per thread. */
final class SecureMaskKeys implements MaskKeySource {
    static final SecureMaskKeys INSTANCE = new SecureMaskKeys();
    private static final int BATCH_BYTES = 1024;

    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<ByteBuffer> batches = ThreadLocal.withInitial(() -> ByteBuffer.allocate(BATCH_BYTES).position(BATCH_BYTES));

    private SecureMaskKeys() {
    }

    @Override
    public int nextKey() {
        ByteBuffer batch = batches.get();
        if (!batch.hasRemaining()) {
            random.nextBytes(batch.array());
            batch.clear();
        }
        return batch.getInt();
    }
}
