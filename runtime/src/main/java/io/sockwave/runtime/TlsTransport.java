package io.sockwave.runtime;

import io.sockwave.tls.TlsAdapter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLSession;

/**
 * Bytes through TLS, with the loop's buffers: ciphertext is read into the loop's read buffer and decrypted into its
 * plaintext buffer; frames are encrypted into its write buffer. For the JDK's engine, which works on arrays, these
 * are heap buffers (as Netty's SslHandler gives it); native engines get direct ones, plaintext included, and their
 * frames go to the engine through the loop's direct staging buffer (see {@link TlsAdapter#wrap}), so that a native
 * engine never needs a direct buffer of its own for a connection. The
 * {@link TlsAdapter} keeps only the tail of a record cut by the transport, and ciphertext the socket did not take,
 * each counted in the loop's buffers.
 */
final class TlsTransport extends Transport implements TlsAdapter.Sink {
    private final TlsAdapter tls;
    private ChannelDriver reading;
    private int counted;

    TlsTransport(TlsAdapter tls) {
        this.tls = tls;
    }

    @Override
    void read(ChannelDriver driver) throws IOException {
        try {
            unwrapFromChannel(driver);
        } finally {
            count(driver.loop);
        }
    }

    private void unwrapFromChannel(ChannelDriver driver) throws IOException {
        ByteBuffer net = driver.loop.tlsNetIn(tls.prefersHeapBuffers());
        net.clear();
        tls.restoreLeftover(net);
        int n = driver.channel().read(net);
        if (n < 0) {
            driver.endOfStream();
            return;
        }
        net.flip();
        if (!driver.acceptsData()) {
            driver.received(net);
            return;
        }
        ByteBuffer plaintext = driver.loop.tlsPlaintext(tls.plaintextBufferSize(), tls.prefersHeapBuffers());
        reading = driver;
        try {
            boolean progress = tls.unwrap(net, plaintext, this);
            // A record may wait behind handshake bytes the engine must send first: send them, then read it again.
            while (!driver.isClosed()) {
                if (tls.wantsWrap()) {
                    driver.flush();
                }
                if (tls.isInboundDone()) {
                    driver.endOfStream();
                    return;
                }
                if (!progress || !tls.hasLeftover() || driver.isClosed()) {
                    break;
                }
                net.clear();
                tls.restoreLeftover(net);
                net.flip();
                progress = tls.unwrap(net, plaintext, this);
            }
        } finally {
            reading = null;
        }
        driver.flushLater();
    }

    @Override
    boolean peerAnswersClose() {
        return true;
    }

    @Override
    SSLSession sslSession() {
        return tls.session();
    }

    @Override
    public void onPlaintext(ByteBuffer plaintext) {
        // As PlainTransport hands over a short read: the protocol core decodes short messages from arrays.
        if (plaintext.isDirect() && plaintext.remaining() <= EventLoop.SMALL_READ) {
            ByteBuffer heap = reading.loop.smallReads;
            heap.clear();
            heap.put(plaintext);
            reading.received(heap.flip());
            return;
        }
        reading.received(plaintext);
    }

    @Override
    void write(ChannelDriver driver, OutboundQueue out) throws IOException {
        try {
            wrapToChannel(driver, out);
        } finally {
            count(driver.loop);
        }
    }

    private void wrapToChannel(ChannelDriver driver, OutboundQueue out) throws IOException {
        ByteBuffer net = driver.loop.tlsNetOut(tls.prefersHeapBuffers());
        ByteBuffer[] frames = driver.loop.gather;
        for (int round = 0; round < MAX_WRITES_PER_TURN && !driver.isClosed(); round++) {
            ByteBuffer unwritten = tls.unwritten();
            if (unwritten != null) {
                driver.channel().write(unwritten);
                if (unwritten.hasRemaining()) {
                    return;
                }
                tls.clearUnwritten();
            }
            out = driver.queue();
            net.clear();
            int count = out == null ? 0 : out.gatherToConsume(frames);
            long consumed = tls.wrap(frames, count, driver.loop.tlsStaging(tls.prefersHeapBuffers()), net);
            Arrays.fill(frames, 0, count, null);
            if (consumed > 0) {
                driver.wrote(consumed, false);
            }
            net.flip();
            if (!net.hasRemaining()) {
                return;
            }
            driver.channel().write(net);
            if (net.hasRemaining()) {
                tls.holdUnwritten(net);
                return;
            }
        }
    }

    @Override
    boolean hasPendingOutput() {
        return tls.unwritten() != null || tls.wantsWrap();
    }

    @Override
    boolean awaitsPeer() {
        return tls.unwritten() == null && tls.awaitsPeerHandshake();
    }

    @Override
    void closeOutput(ChannelDriver driver) throws IOException {
        tls.closeOutbound();
        ByteBuffer net = driver.loop.tlsNetOut(tls.prefersHeapBuffers());
        net.clear();
        tls.wrap(driver.loop.gather, 0, null, net);
        net.flip();
        driver.channel().write(net);
    }

    /** Keeps the loop's count of held buffers in step with what the adapter holds now. */
    private void count(EventLoop loop) {
        int held = tls.heldBuffers();
        loop.countBuffers(held - counted);
        counted = held;
    }

    @Override
    void release(EventLoop loop) {
        loop.countBuffers(-counted);
        counted = 0;
        tls.release();
    }
}
