package io.sockwave.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes in the clear. Stateless, so every plain connection shares the one instance and an idle connection holds
 * nothing here: reads land in the loop's heap buffer, and writes gather the queue into the loop's direct buffer, so
 * that a turn's frames leave in one system call with one copy (the JDK would otherwise copy each heap frame into a
 * temporary direct buffer of its own).
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
            int n = driver.channel.read(buffer);
            if (n < 0) {
                driver.endOfStream();
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            driver.received(buffer);
            if (n < buffer.capacity()) {
                return;
            }
        }
    }

    @Override
    void write(ChannelDriver driver, OutboundQueue out) throws IOException {
        ByteBuffer buffer = driver.loop.writeBuffer;
        ByteBuffer[] frames = driver.loop.gather;
        for (int round = 0; round < MAX_WRITES_PER_TURN && out == driver.queue() && out != null && !out.isEmpty();
             round++) {
            buffer.clear();
            int count = out.gather(frames);
            for (int i = 0; i < count; i++) {
                ByteBuffer frame = frames[i];
                frames[i] = null;
                int n = Math.min(frame.remaining(), buffer.remaining());
                buffer.put(buffer.position(), frame, frame.position(), n);
                buffer.position(buffer.position() + n);
            }
            buffer.flip();
            int written = driver.channel.write(buffer);
            if (written > 0) {
                driver.wrote(written, true);
            }
            if (buffer.hasRemaining()) {
                return;
            }
        }
    }

    @Override
    boolean hasPendingOutput() {
        return false;
    }
}
