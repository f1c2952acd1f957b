package io.sockwave.bench.peers.server;

/**
 * A running server under test. Each serves {@code /echo} (every text or binary message is sent back as it came)
 * and {@code /broadcast} (every text message is sent to every connection on {@code /broadcast}, the sender
 * included), in the way its own documentation recommends.
 */
public interface BenchServer extends AutoCloseable {
    /** @return the port it listens on */
    int port();

    /**
     * @return the process that serves, whose CPU and memory the scenarios read: this JVM's, unless the server runs
     *     in a process of its own
     */
    default long pid() {
        return ProcessHandle.current().pid();
    }

    /** Stops the server; idempotent. */
    @Override
    void close();
}
