package io.sockwave.cli.connect;

import io.sockwave.cli.StandardStreams;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * {@code --binary-stdin}: sends standard input's bytes, unchanged and in order, as binary messages of at most
 * {@code chunk} bytes each, on a thread of its own. A message carries what one read returned, so an interactive
 * stream is sent as it comes rather than when a chunk fills.
 */
final class BinaryStdinPump {
    private BinaryStdinPump() {}

    /**
     * @param outbox where the bytes go
     * @param closed completes when the session closes, which stops the pump
     * @param chunk the largest message, in bytes
     * @return completes at the end of standard input (or when it cannot be read)
     */
    static CompletableFuture<Void> start(Outbox outbox, CompletableFuture<?> closed, int chunk) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = new FileInputStream(FileDescriptor.in)) {
                byte[] buffer = new byte[chunk];
                int n;
                while (!closed.isDone() && (n = in.read(buffer, 0, chunk)) >= 0) {
                    if (n == 0) {
                        continue;
                    }
                    // A copy: the send completes later, and the buffer is read into again now.
                    outbox.sendBinary(ByteBuffer.wrap(Arrays.copyOf(buffer, n)));
                    outbox.whenWritable().exceptionally(e -> null).join();
                }
            } catch (IOException e) {
                StandardStreams.err().println("sockwave connect: cannot read standard input: " + e.getMessage());
            } finally {
                ended.complete(null);
            }
        }, "sockwave-stdin");
        reader.setDaemon(true);
        reader.start();
        return ended;
    }
}
