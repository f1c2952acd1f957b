package io.sockwave.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Room logs in Redis (7.0 or later, one instance or a primary; not Redis Cluster), shared by the nodes of a
 * cluster. Each room's log is a Redis Stream whose entry ids are {@code 0-SEQUENCE}, trimmed with {@code MAXLEN ~}
 * to about {@value #HISTORY} events; every change is one call of a Redis Function of the library {@code rooms.lua}
 * (loaded with {@code FUNCTION LOAD}, which Redis persists with the data, and loaded again if Redis comes back
 * without it), so an append, its dedupe by message id and its pub/sub notification are atomic. An append is
 * acknowledged once Redis has executed it, with the durability Redis is configured for: {@code appendonly yes} and
 * {@code appendfsync always} for no acknowledged message lost in a crash.
 *
 * <p>Pub/sub carries only "something new up to sequence N" hints; the nodes read the stream for the events
 * themselves, so a lost hint costs a delay, not a message. A command that Redis does not answer within
 * {@value #COMMAND_TIMEOUT_SECONDS} s fails, and a publish with it is refused to its sender; Lettuce reconnects by
 * itself and resubscribes, and commands written meanwhile wait in a queue bounded at {@value #REQUEST_QUEUE}. A
 * command whose reply the lost connection took is sent again after the reconnect, so each function is idempotent:
 * a join the node already holds answers as it did, and an append is deduplicated by the sender's message id, or
 * without one by an id of the call.
 *
 * <p>A room without members expires: its keys are removed once it has had no member and no activity for the
 * retention ({@link #DEFAULT_RETENTION} unless {@linkplain #connect(String, Duration) given}). Within it, a resume
 * by offset is exact; after it, the room starts again under a new epoch, and a member resuming with an offset of the
 * old one gets a reset. Every call also tells Redis the highest offset this node had of the room, so that Redis
 * back from older data (a snapshot) starts the room's new epoch at the first call, before the sequence numbers it
 * gives out again could pass this node's cursors unseen.
 */
public final class RedisRoomLog implements RoomLog {
    /** Events each room's stream keeps, about: the reach of a resume. */
    public static final int HISTORY = 10_000;
    /** How long a message id is remembered for the dedupe. */
    public static final int DEDUPE_SECONDS = 600;
    /** A node whose heartbeat is older than this is taken as dead and its members' leaves are written. */
    public static final int NODE_TTL_MILLIS = 10_000;
    /** How long a command may wait for Redis, reconnects included, before it fails. */
    public static final int COMMAND_TIMEOUT_SECONDS = 10;
    /** Commands buffered while Redis is unreachable. */
    public static final int REQUEST_QUEUE = 50_000;
    /** How long a room without members and without activity keeps its log, by default: the reach of a resume. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    /** Leaves that one reaping call writes, and rooms it looks at, at most; more take several calls. */
    public static final int REAP_BATCH = 500;
    private static final String[] NO_KEYS = {};
    private static final String SIGNAL_PREFIX = "sw:{";
    private static final String SIGNAL_SUFFIX = "}:signal";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final String library;
    private volatile String nodeId;
    private final AtomicLong calls = new AtomicLong();
    private final String retentionMillis;
    /** Per room this node watches, the highest offset it had from Redis: what a rollback is told by. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final AtomicBoolean reaping = new AtomicBoolean();

    /** An epoch and the highest sequence number of it this node had; the empty epoch for nothing yet. */
    private record Known(String epoch, long sequence) {
        static final Known NONE = new Known("", 0);

        Known merge(String otherEpoch, long otherSequence) {
            return epoch.equals(otherEpoch) ? new Known(epoch, Math.max(sequence, otherSequence))
                    : new Known(otherEpoch, otherSequence);
        }
    }

    private RedisRoomLog(RedisClient client, String library, Duration retention) {
        this.client = client;
        this.library = library;
        this.retentionMillis = Long.toString(retention.toMillis());
        this.connection = client.connect();
        this.commands = connection.async();
        this.pubsub = client.connectPubSub();
    }

    /**
     * Connects to Redis and loads the rooms' function library; rooms without members are kept for
     * {@link #DEFAULT_RETENTION}.
     *
     * @param uri {@code redis://HOST:PORT} (Lettuce's URI syntax: a password, a database and {@code rediss://} for
     *     TLS are accepted)
     * @return a log connected to Redis with the library loaded; {@link #close()} it to release the connections
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     * @throws IllegalArgumentException if the URI is malformed
     */
    public static RedisRoomLog connect(String uri) {
        return connect(uri, DEFAULT_RETENTION);
    }

    /**
     * Connects to Redis and loads the rooms' function library.
     *
     * @param uri {@code redis://HOST:PORT} (Lettuce's URI syntax: a password, a database and {@code rediss://} for
     *     TLS are accepted)
     * @param retention how long a room that has no member and no activity keeps its keys, and with them the reach
     *     of a resume by offset; at least a millisecond. Every node of a cluster should use the same.
     * @return a log connected to Redis with the library loaded; {@link #close()} it to release the connections
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     * @throws IllegalArgumentException if the URI is malformed or the retention shorter than a millisecond
     */
    public static RedisRoomLog connect(String uri, Duration retention) {
        if (retention.toMillis() < 1) {
            throw new IllegalArgumentException("a retention of at least a millisecond: " + retention);
        }
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS));
        RedisClient client = RedisClient.create(redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS)))
                .build());
        try {
            RedisRoomLog log = new RedisRoomLog(client, readLibrary(), retention);
            log.loadLibrary().join();
            return log;
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    private static String readLibrary() {
        try (InputStream in = RedisRoomLog.class.getResourceAsStream("rooms.lua")) {
            return new String(Objects.requireNonNull(in, "rooms.lua").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CompletableFuture<String> loadLibrary() {
        return commands.functionLoad(library, true).toCompletableFuture();
    }

    @Override
    public void start(String nodeId, Signals signals) {
        // Each start is a node of its own in Redis: a node restarted at once under the same id would otherwise
        // renew the dead process's lease before it ran out, and the dead process's members would never be reaped.
        this.nodeId = nodeId + "~" + newEpoch();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (channel.startsWith(SIGNAL_PREFIX) && channel.endsWith(SIGNAL_SUFFIX)) {
                    try {
                        signals.appended(channel.substring(SIGNAL_PREFIX.length(),
                                channel.length() - SIGNAL_SUFFIX.length()), Long.parseLong(message));
                    } catch (NumberFormatException ignored) {
                        // not ours: the periodic read covers the room anyway
                    }
                }
            }
        });
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                signals.reconnected();
            }
        });
    }

    @Override
    public CompletableFuture<Joined> join(String room, String member) {
        Known had = known(room);
        return call("sw_join", room, newEpoch(), Integer.toString(HISTORY), member, nodeId, had.epoch(),
                Long.toString(had.sequence()), retentionMillis).thenApply(reply -> {
            long sequence = (Long) reply.get(1);
            record(room, (String) reply.get(0), Math.max(sequence, 0));
            if (sequence < 0) {
                throw new CompletionException(new RoomException(RoomException.Reason.NAME_TAKEN,
                        "the name " + member + " is taken in " + room));
            }
            List<String> present = new ArrayList<>();
            for (Object name : reply.subList(2, reply.size())) {
                present.add((String) name);
            }
            present.sort(null);
            return new Joined((String) reply.get(0), sequence, List.copyOf(present));
        });
    }

    @Override
    public CompletableFuture<Appended> append(String room, String member, String messageId, String text) {
        // The call id dedupes a message without an id when Lettuce sends the call again after a reconnect.
        Known had = known(room);
        return call("sw_append", room, newEpoch(), Integer.toString(HISTORY), member, messageId, text,
                Integer.toString(DEDUPE_SECONDS), nodeId + ":" + calls.incrementAndGet(), had.epoch(),
                Long.toString(had.sequence()), retentionMillis).thenApply(reply -> {
                    record(room, (String) reply.get(0), (Long) reply.get(1));
                    return new Appended((String) reply.get(0), (Long) reply.get(1), (Long) reply.get(2) == 1);
                });
    }

    @Override
    public CompletableFuture<Boolean> leave(String room, String member) {
        return call("sw_leave", room, Integer.toString(HISTORY), member, nodeId, retentionMillis)
                .thenApply(reply -> (Long) reply.get(0) > 0);
    }

    @Override
    public CompletableFuture<Page> read(String room, long after, int limit) {
        Known had = known(room);
        return call("sw_read", room, newEpoch(), Long.toString(after), Integer.toString(limit), had.epoch(),
                Long.toString(had.sequence()), retentionMillis).thenApply(reply -> {
            String epoch = (String) reply.get(0);
            List<?> entries = (List<?>) reply.get(1);
            List<RoomEvent> events = new ArrayList<>(entries.size());
            for (Object entry : entries) {
                events.add(event(epoch, (List<?>) entry));
            }
            record(room, epoch, events.isEmpty() ? 0 : events.get(events.size() - 1).offset().sequence());
            return new Page(epoch, events);
        });
    }

    /** An entry {@code [0-SEQ, [k, KIND, m, MEMBER, t, TEXT, id, MESSAGE_ID]]} of a room's stream. */
    private static RoomEvent event(String epoch, List<?> entry) {
        String id = (String) entry.get(0);
        long sequence = Long.parseLong(id.substring(id.indexOf('-') + 1));
        List<?> fields = (List<?>) entry.get(1);
        String kind = "";
        String member = "";
        String text = "";
        String messageId = "";
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String value = (String) fields.get(i + 1);
            switch ((String) fields.get(i)) {
                case "k" -> kind = value;
                case "m" -> member = value;
                case "t" -> text = value;
                case "id" -> messageId = value;
                default -> {
                    // a field of a later version: ignored
                }
            }
        }
        return new RoomEvent(new RoomOffset(epoch, sequence), RoomEvent.Kind.valueOf(kind.toUpperCase(Locale.ROOT)), member,
                text, messageId);
    }

    private Known known(String room) {
        return known.getOrDefault(room, Known.NONE);
    }

    /** Keeps the highest offset had of a room this node watches (only those: the map is bounded by them). */
    private void record(String room, String epoch, long sequence) {
        known.computeIfPresent(room, (name, had) -> had.merge(epoch, sequence));
    }

    @Override
    public void watch(String room) {
        known.putIfAbsent(room, Known.NONE);
        try {
            pubsub.async().subscribe(SIGNAL_PREFIX + room + SIGNAL_SUFFIX);
        } catch (RuntimeException closed) {
            // without the hints, the rooms' periodic reads still find every event
        }
    }

    @Override
    public void unwatch(String room) {
        known.remove(room);
        try {
            pubsub.async().unsubscribe(SIGNAL_PREFIX + room + SIGNAL_SUFFIX);
        } catch (RuntimeException closed) {
            // a closed link has no subscriptions left
        }
    }

    @Override
    public CompletableFuture<Boolean> heartbeat() {
        // The beat id makes a beat sent again after a reconnect answer as the first did.
        return call("sw_beat", nodeId, Integer.toString(NODE_TTL_MILLIS), Long.toString(calls.incrementAndGet()))
                .thenApply(reply -> (Long) reply.get(0) == 1);
    }

    /**
     * {@inheritDoc} A batch of at most {@value #REAP_BATCH} leaves per call to Redis, calls following each other
     * until every dead node is reaped, so that other clients are served in between; one reaping at a time per node.
     */
    @Override
    public CompletableFuture<Integer> reapDeadNodes() {
        if (!reaping.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(0);
        }
        return reapBatches(0).whenComplete((reaped, error) -> reaping.set(false));
    }

    private CompletableFuture<Integer> reapBatches(int reapedBefore) {
        return call("sw_reap", Integer.toString(HISTORY), Integer.toString(REAP_BATCH), retentionMillis)
                .thenCompose(reply -> {
                    int reaped = reapedBefore + ((Long) reply.get(0)).intValue();
                    return (Long) reply.get(1) == 1 ? reapBatches(reaped) : CompletableFuture.completedFuture(reaped);
                });
    }

    /** Calls a function of the library, loading the library again if Redis lost it (a restart without data). */
    private CompletableFuture<List<Object>> call(String function, String... args) {
        return this.<List<Object>>fcall(function, args).exceptionallyCompose(error -> {
            if (String.valueOf(rootCause(error).getMessage()).contains("Function not found")) {
                return loadLibrary().thenCompose(loaded -> fcall(function, args));
            }
            return CompletableFuture.failedFuture(error);
        });
    }

    private <T> CompletableFuture<T> fcall(String function, String[] args) {
        try {
            return commands.<T>fcall(function, ScriptOutputType.MULTI, NO_KEYS, args).toCompletableFuture();
        } catch (RuntimeException closedOrFull) {
            // Lettuce throws rather than fails the future when the connection is closed or its queue is full
            return CompletableFuture.failedFuture(closedOrFull);
        }
    }

    private static Throwable rootCause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** A candidate for a room's epoch, taken only if the room has none: fresh for every call. */
    private static String newEpoch() {
        return Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    }

    @Override
    public void close() {
        pubsub.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
