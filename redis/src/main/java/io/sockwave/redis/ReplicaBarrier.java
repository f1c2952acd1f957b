package io.sockwave.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.sockwave.room.RoomException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Confirms that replicas have everything the primary executed before a call returned ({@link ReplicaWait}).
 * {@code WAIT} waits for the replication of the last write of its own connection, so each round writes first, on a
 * connection of its own, a {@code PUBLISH} to a channel nobody hears (Redis replicates it, and it touches no key):
 * what the replicas then have covers this node's calls and the other nodes' appends that a read saw. Its own
 * connection also keeps the blocking {@code WAIT} from holding up the node's calls and heartbeats.
 *
 * <p>One round at a time: a call that returns while a round is under way is confirmed by the next one, whose
 * {@code PUBLISH} comes after it. The connection is made by a client that does not reconnect by itself: Lettuce would
 * send a {@code WAIT} cut off from its {@code PUBLISH} again on a new connection, which has written nothing, and that
 * answers at once with every replica. A failed round drops its connection; the next connects again (through Sentinel,
 * to the primary of the moment).
 */
final class ReplicaBarrier implements AutoCloseable {
    private static final String CHANNEL = "sw:replicated";

    private final RedisClient client;
    private final RedisURI uri;
    private final ReplicaWait wait;
    /** Guarded by this: the calls the next round confirms, whether a round is under way, the connection. */
    private List<CompletableFuture<Void>> next = new ArrayList<>();
    private boolean running;
    private boolean closed;
    private CompletableFuture<StatefulRedisConnection<String, String>> connection;

    /** @param client a client of its own, which does not reconnect by itself: {@link #close()} shuts it down */
    ReplicaBarrier(RedisClient client, RedisURI uri, ReplicaWait wait) {
        this.client = client;
        this.uri = uri;
        this.wait = wait;
    }

    /** @return completes once the replicas have what the primary had now; fails with a {@link RoomException} */
    CompletableFuture<Void> confirm() {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                confirmed.completeExceptionally(new RoomException(RoomException.Reason.UNAVAILABLE,
                        "the room log is closed"));
                return confirmed;
            }
            next.add(confirmed);
            if (running) {
                return confirmed;
            }
            running = true;
        }
        round();
        return confirmed;
    }

    private void round() {
        List<CompletableFuture<Void>> waiting;
        CompletableFuture<StatefulRedisConnection<String, String>> link;
        synchronized (this) {
            if (next.isEmpty() || closed) {
                running = false;
                next.forEach(call -> call.completeExceptionally(new RoomException(RoomException.Reason.UNAVAILABLE,
                        "the room log is closed")));
                next = new ArrayList<>();
                return;
            }
            waiting = next;
            next = new ArrayList<>();
            if (connection == null || connection.isCompletedExceptionally()
                    || (connection.isDone() && !connection.join().isOpen())) {
                connection = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
            }
            link = connection;
        }
        link.thenCompose(open -> {
            RedisAsyncCommands<String, String> commands = open.async();
            CompletableFuture<Long> written = commands.publish(CHANNEL, "").toCompletableFuture();
            CompletableFuture<Long> acknowledged = commands.waitForReplication(wait.replicas(),
                    wait.timeout().toMillis()).toCompletableFuture();
            return written.thenCombine(acknowledged, (receivers, replicas) -> replicas);
        }).whenComplete((replicas, error) -> {
            RoomException refusal = null;
            if (error != null) {
                drop(link);
                refusal = new RoomException(RoomException.Reason.UNAVAILABLE, "could not ask Redis whether "
                        + wait.replicas() + " replicas have it (" + rootCause(error).getMessage() + "): not"
                        + " acknowledged, though it may be in the log; retry with the same message id", error);
            } else if (replicas < wait.replicas()) {
                refusal = new RoomException(RoomException.Reason.UNAVAILABLE, "only " + replicas + " of the "
                        + wait.replicas() + " replicas asked for confirmed having it within " + wait.timeout().toMillis()
                        + " ms (Redis WAIT): not acknowledged, though it may be in the log; retry with the same"
                        + " message id");
            }
            for (CompletableFuture<Void> call : waiting) {
                if (refusal == null) {
                    call.complete(null);
                } else {
                    call.completeExceptionally(refusal);
                }
            }
            round();
        });
    }

    private synchronized void drop(CompletableFuture<StatefulRedisConnection<String, String>> link) {
        if (connection == link) {
            connection = null;
        }
        link.thenAccept(StatefulRedisConnection::closeAsync);
    }

    private static Throwable rootCause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Fails what waits for a round to come, and shuts its client down. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
