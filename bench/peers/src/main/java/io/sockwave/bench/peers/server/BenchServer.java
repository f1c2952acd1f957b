package io.sockwave.bench.peers.server;

/**
 * A running server under test. Each serves {@code /echo} (every text or binary message is sent back as it came)
 * and {@code /broadcast} (every text message is sent to every connection on {@code /broadcast}, the sender
 * included), in the way its own documentation recommends.
 */
public interface BenchServer extends AutoCloseable {
    /** @return the port it listens on */
    int port();

    /** Stops the server; idempotent. */
    @Override
    void close();
}
