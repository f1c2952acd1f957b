package io.sockwave.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers the sessions of one server or client. The prefix names the server or client ({@code s1-}, {@code c2-}),
 * so ids stay unique across the servers and clients of one JVM.
 */
final class SessionIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    /** @param prefix e.g. {@code s1-} */
    SessionIds(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    long next() {
        return counter.incrementAndGet();
    }
}
