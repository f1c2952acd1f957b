package io.sockwave.cli.connect;

import io.sockwave.ReconnectingSession;
import io.sockwave.Session;
import io.sockwave.cli.StandardStreams;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** Where the messages read from standard input go: one session, or a reconnecting one. */
interface Outbox {
    CompletableFuture<Void> sendText(String text);

    CompletableFuture<Void> sendBinary(ByteBuffer data);

    /** @return completes when more may be sent without queueing without end */
    CompletableFuture<Void> whenWritable();

    static Outbox of(Session session) {
        return new Outbox() {
            @Override
            public CompletableFuture<Void> sendText(String text) {
                return session.sendText(text);
            }

            @Override
            public CompletableFuture<Void> sendBinary(ByteBuffer data) {
                return session.sendBinary(data);
            }

            @Override
            public CompletableFuture<Void> whenWritable() {
                return session.whenWritable();
            }
        };
    }

    /** Messages the reconnecting session cannot hold are reported on standard error, not silently lost. */
    static Outbox of(ReconnectingSession reconnecting) {
        return new Outbox() {
            @Override
            public CompletableFuture<Void> sendText(String text) {
                return reported(reconnecting.sendText(text));
            }

            @Override
            public CompletableFuture<Void> sendBinary(ByteBuffer data) {
                return reported(reconnecting.sendBinary(data));
            }

            @Override
            public CompletableFuture<Void> whenWritable() {
                Session current = reconnecting.session();
                return current == null ? CompletableFuture.completedFuture(null) : current.whenWritable();
            }

            private CompletableFuture<Void> reported(CompletableFuture<Void> send) {
                return send.whenComplete((ok, error) -> {
                    if (error != null) {
                        StandardStreams.err().println("sockwave connect: a message was not sent: "
                                + error.getMessage());
                    }
                });
            }
        };
    }
}
