package io.sockwave.runtime;

import java.io.IOException;
import javax.net.ssl.SSLSession;

/**
 * How a connection's bytes cross its socket: in the clear ({@link PlainTransport}, one shared instance, no state) or
 * through TLS ({@link TlsTransport}, one per connection). Both read into the loop's buffers and hand what they read
 * to the {@link ChannelDriver}; both write from its {@link OutboundQueue}. Called on the loop's thread.
 */
abstract class Transport {
    /** Reads, per turn, at most this many times from one channel, so that one busy peer cannot starve the loop. */
    static final int MAX_READS_PER_TURN = 4;
    /** Writes, per turn, at most this many buffers full to one channel, for the same reason. */
    static final int MAX_WRITES_PER_TURN = 16;

    /**
     * Reads what the channel has and hands it to {@link ChannelDriver#received}, or reports
     * {@link ChannelDriver#endOfStream}.
     *
     * @param driver the connection
     * @throws IOException when the socket or TLS fails
     */
    abstract void read(ChannelDriver driver) throws IOException;

    /**
     * Writes as much as the socket takes, accounting through {@link ChannelDriver#wrote}.
     *
     * @param driver the connection
     * @param out its queue, or null when it has none (TLS may still owe handshake bytes)
     * @throws IOException when the socket or TLS fails
     */
    abstract void write(ChannelDriver driver, OutboundQueue out) throws IOException;

    /** @return whether bytes outside the queue wait to be written: TLS handshake output, or ciphertext held */
    abstract boolean hasPendingOutput();

    /**
     * @return whether queued frames cannot be sent until the peer answers: a TLS handshake waiting for the peer's
     *     next flight. Selecting for writability then would wake the loop at once, again and again, for nothing.
     */
    boolean awaitsPeer() {
        return false;
    }

    /**
     * Writes what ends the stream at this layer (TLS close_notify), best effort, before output is shut down.
     *
     * @param driver the connection
     * @throws IOException when the socket fails
     */
    void closeOutput(ChannelDriver driver) throws IOException {
    }

    /**
     * @return whether the peer answers {@link #closeOutput} with bytes of its own (TLS close_notify), which the
     *     socket must read rather than meet closed, with a reset
     */
    boolean peerAnswersClose() {
        return false;
    }

    /** @return the TLS session, or null for a plain connection */
    SSLSession sslSession() {
        return null;
    }

    /**
     * Forgets everything held; the connection is closed.
     *
     * @param loop the connection's loop, whose buffer count is corrected
     */
    void release(EventLoop loop) {
    }
}
