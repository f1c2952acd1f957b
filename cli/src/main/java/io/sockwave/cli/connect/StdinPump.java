package io.sockwave.cli.connect;

import io.sockwave.cli.StandardStreams;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** Sends each line of standard input as a text message, on a thread of its own since reading a pipe blocks. */
final class StdinPump {
    private StdinPump() {}

    /**
     * @param session where the lines go
     * @param closed completes when the session closes, which stops the pump
     * @return completes at the end of standard input (or when it cannot be read)
     */
    static CompletableFuture<Void> start(Outbox session, CompletableFuture<?> closed) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = StandardStreams.in()) {
                String line;
                while (!closed.isDone() && (line = in.readLine()) != null) {
                    session.sendText(line);
                    // Typing (or piping) faster than the server reads: wait rather than queue without end.
                    session.whenWritable().exceptionally(e -> null).join();
                }
            } catch (IOException e) {
                StandardStreams.err().println("sockwave connect: cannot read standard input: " + e.getMessage());
            } finally {
                ended.complete(null);
            }
        }, "sockwave-stdin");
        // A read blocked on a terminal must not keep the process alive once the connection is over.
        reader.setDaemon(true);
        reader.start();
        return ended;
    }
}
