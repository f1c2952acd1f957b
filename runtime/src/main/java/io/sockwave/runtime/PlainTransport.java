package io.sockwave.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Bytes in the clear. Stateless, so every plain connection shares the one instance and an idle connection holds
 * nothing here: reads land in the loop's direct read buffer (small ones are handed over from a heap copy, see
 * {@link EventLoop#smallReads}). Writes copy the queue's small heap frames into the
 * loop's direct write buffer and hand the large frames of its {@link FramePool}, already direct, to the same
 * gathering write, so that a turn's frames leave in one system call and each byte is copied at most once (the JDK
 * would otherwise copy each heap frame into a temporary direct buffer of its own).
 */
final class PlainTransport extends Transport {
    static final PlainTransport INSTANCE = new PlainTransport();

    private PlainTransport() {
    }

    @Override
    void read(ChannelDriver driver) throws IOException {
        ByteBuffer buffer = driver.loop.readBuffer;
        for (int i = 0; i < MAX_READS_PER_TURN && driver.acceptsReads(); i++) {
            buffer.clear();
            int n = driver.channel().read(buffer);
            if (n < 0) {
                driver.endOfStream();
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            driver.received(n <= EventLoop.SMALL_READ ? heapCopy(buffer, driver.loop.smallReads) : buffer);
            if (n < buffer.capacity()) {
                return;
            }
        }
    }

    private static ByteBuffer heapCopy(ByteBuffer read, ByteBuffer heap) {
        heap.clear();
        heap.put(read);
        return heap.flip();
    }

    @Override
    void write(ChannelDriver driver, OutboundQueue out) throws IOException {
        ByteBuffer buffer = driver.loop.writeBuffer;
        ByteBuffer[] sources = driver.loop.iovecs;
        for (int round = 0; round < MAX_WRITES_PER_TURN && out == driver.queue() && out != null && !out.isEmpty();
             round++) {
            buffer.clear();
            int count = Math.min(out.size(), EventLoop.FRAMES_PER_WRITE);
            int n = 0;
            int runStart = 0;
            long total = 0;
            for (int i = 0; i < count; i++) {
                ByteBuffer frame = out.wireFrame(i);
                if (frame.isDirect()) {
                    if (buffer.position() > runStart) {
                        sources[n++] = buffer.slice(runStart, buffer.position() - runStart);
                        runStart = buffer.position();
                    }
                    // A view, so that the write's advance leaves the queue's frame to OutboundQueue.written.
                    sources[n++] = frame.duplicate();
                } else {
                    int k = Math.min(frame.remaining(), buffer.remaining());
                    buffer.put(buffer.position(), frame, frame.position(), k);
                    buffer.position(buffer.position() + k);
                    if (k < frame.remaining()) {
                        // Nothing may follow a frame that did not fit whole: the socket would skip its tail.
                        break;
                    }
                }
            }
            long written;
            if (n == 0) {
                // Small frames only, the common case: one buffer, and no view of it to allocate.
                buffer.flip();
                total = buffer.remaining();
                written = driver.channel().write(buffer);
            } else {
                if (buffer.position() > runStart) {
                    sources[n++] = buffer.slice(runStart, buffer.position() - runStart);
                }
                for (int i = 0; i < n; i++) {
                    total += sources[i].remaining();
                }
                written = driver.channel().write(sources, 0, n);
                Arrays.fill(sources, 0, n, null);
            }
            if (written > 0) {
                driver.wrote(written, true);
            }
            if (written < total) {
                return;
            }
        }
    }

    @Override
    boolean hasPendingOutput() {
        return false;
    }
}
