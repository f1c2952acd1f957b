package io.sockwave.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.sockwave.SessionSettings;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Room logs in Redis (7.0 or later, one instance, or a primary with replicas found through Redis Sentinel; not Redis
 * Cluster), shared by the nodes of a cluster. Each room's log is a Redis Stream whose entry ids are {@code 0-SEQUENCE},
 * trimmed with {@code MAXLEN ~} to about {@value #HISTORY} events; every change is one call of a Redis Function of the
 * library {@code rooms.lua} (loaded with {@code FUNCTION LOAD}, which Redis persists with the data, and loaded again if
 * Redis comes back without it), so an append, its dedupe by message id and its pub/sub notification are atomic. An
 * append is acknowledged once Redis has executed it, with the durability Redis is configured for: {@code appendonly
 * yes} and {@code appendfsync always} for no acknowledged message lost in a crash. A failover to a replica that had not
 * received it loses it (members then get a reset), unless the log was {@linkplain #connect(String, Duration,
 * ReplicaWait) connected} with a {@link ReplicaWait}, which acknowledges only what replicas have.
 *
 * <p>Redis back in time (a failover to a replica behind its primary, a restart from a snapshot) keeps the room's log
 * up to the point it went back to. The room goes on under a new epoch whose {@linkplain RoomLog.Page#origin()
 * origin} is the old epoch and that point: its events up to there are the old epoch's, at the same sequence numbers.
 * A member's reset names the last of them it had received, and they are not sent again; a client resuming with an
 * offset of the old epoch goes on after the last of them up to its offset. The point is the room's head when the new
 * epoch began, which is where Redis went back to unless a node that knew nothing of the lost events appended before
 * any call told Redis (the window under "What is left" in the module's README).
 *
 * <p>Pub/sub carries each event as it is appended, in the same atomic call: a node hands it to the members right
 * before it without reading the stream, and reads the stream for any other member (one resuming, or one that missed a
 * notification), so a lost notification costs a delay, not a message. With a {@link ReplicaWait} a notification is
 * only a hint, and the events are read once replicas have them. A command that Redis does not answer within
 * {@value #COMMAND_TIMEOUT_SECONDS} s fails, and a publish with it is refused to its sender; Lettuce reconnects by
 * itself and resubscribes, and commands written meanwhile wait in a queue bounded at {@value #REQUEST_QUEUE}. A
 * command whose reply the lost connection took is sent again after the reconnect, so each function is idempotent:
 * a join the node already holds answers as it did, and an append is deduplicated by the sender's message id, or
 * without one by an id of the call.
 *
 * <p>A room without members expires: its keys are removed once it has had no member and no activity for the
 * retention ({@link #DEFAULT_RETENTION} unless {@linkplain #connect(String, Duration) given}). Within it, a resume
 * by offset is exact; after it, the room starts again under a new epoch, and a member resuming with an offset of the
 * old one gets a reset. Every call also tells Redis the highest offset this node had of the room (a join, the offset
 * its member resumes after), and the count of Redis's heartbeats this node last saw, so that Redis back from older
 * data (a snapshot) starts the room's new epoch at the first call, before the sequence numbers it gives out again
 * could pass a cursor or a client's offset unseen.
 *
 * <p>The function library is versioned ({@value #LIBRARY_VERSION}, in its name {@code sockwave_rooms_N}): nodes of
 * different versions cannot share a Redis, and {@link #connect(String, Duration)} refuses to start while a node of
 * another version is alive there, in any of its databases (see the upgrade procedure in the module's README).
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

    /**
     * How long {@code connect} waits for a Redis that is loading its data ({@code LOADING}, after a restart: seconds
     * to minutes, with the size of the data set) before it gives up.
     */
    public static final int LOADING_WAIT_SECONDS = 300;
    /** Commands buffered while Redis is unreachable. */
    public static final int REQUEST_QUEUE = 50_000;
    /** How long a room without members and without activity keeps its log, by default: the reach of a resume. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    /** Leaves that one reaping call writes, and rooms it looks at, at most; more take several calls. */
    public static final int REAP_BATCH = 500;
    /**
     * How long after a dead node's lease runs out its members' leaves are written, at most: every node reaps at each
     * of its beats, every 2 s, and a second more for the calls.
     */
    static final long REAP_DELAY_MILLIS = 3_000;
    /** The version of the function library, which nodes sharing a Redis must all have. */
    public static final String LIBRARY_VERSION = "7";
    private static final String LIBRARY_PREFIX = "sockwave_rooms";
    private static final String[] NO_KEYS = {};
    private static final String SIGNAL_PREFIX = "sw:{";
    private static final String SIGNAL_SUFFIX = "}:signal";
    private static final Pattern DATABASE_LINE = Pattern.compile("db(\\d+):");
    private static final long NOT_LANDING = Long.MIN_VALUE;
    /** The sequence number of {@code sw_join}'s reply that says the name is in as many rooms as it may be. */
    private static final long TOO_MANY_ROOMS = -2;
    /**
     * Lettuce's default waits up to 30 s between attempts to reconnect, doubling from 1 ms: a primary that Sentinel
     * replaces after its default 30 s would be found that long late, past the leases of every node.
     */
    private static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(1);
    /** How often a node starting while Redis loads its data asks again. */
    private static final long LOADING_POLL_MILLIS = 100;
    /**
     * args: this library's version, the databases with keys -> {database, node, version} of a node alive with
     * another version, or nothing. A node's lease holds the version of its library (version 1 held "1").
     */
    private static final String OTHER_VERSION_ALIVE = """
            for i = 2, #ARGV do
              redis.call('SELECT', ARGV[i])
              for _, node in ipairs(redis.call('SMEMBERS', 'sw:nodes')) do
                local version = redis.call('GET', 'sw:node:' .. node .. ':alive')
                if version and version ~= ARGV[1] then
                  return {ARGV[i], node, version}
                end
              end
            end
            return {}
            """;

    private final RedisClient client;
    private final ClientResources resources;
    /** What confirms that replicas have a call's writes before it is answered, or null to answer at once. */
    private final ReplicaBarrier replicas;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> commands;
    /** Channels by name, messages as bytes: a notification's lengths count bytes. */
    private final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private final String library;
    private volatile String nodeId;
    private final AtomicLong calls = new AtomicLong();
    private final String retentionMillis;
    /** Per room this node watches, the highest offset it had from Redis: what a rollback is told by. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final AtomicBoolean reaping = new AtomicBoolean();
    /** Redis's era and the count of its beats this node last saw: what a rollback of Redis as a whole is told by. */
    private volatile Known clock = Known.NONE;
    /**
     * When ({@link System#nanoTime()}) this node's beats began to land with none failed since, or
     * {@code NOT_LANDING}: a node reaps only once its beats have landed for a whole lease.
     */
    private volatile long landingSince = NOT_LANDING;

    /**
     * An epoch and the highest sequence number of it this node had (or Redis's era and the highest count of its
     * beats); the empty epoch for nothing yet.
     */
    private record Known(String epoch, long sequence) {
        static final Known NONE = new Known("", 0);

        Known merge(String otherEpoch, long otherSequence) {
            return epoch.equals(otherEpoch) ? new Known(epoch, Math.max(sequence, otherSequence))
                    : new Known(otherEpoch, otherSequence);
        }
    }

    private RedisRoomLog(RedisClient client, ClientResources resources, ReplicaBarrier replicas, String library,
                         Duration retention) {
        this.client = client;
        this.resources = resources;
        this.replicas = replicas;
        this.library = library;
        this.retentionMillis = Long.toString(retention.toMillis());
        this.connection = client.connect(Utf8Codec.INSTANCE);
        this.commands = connection.async();
        this.pubsub = client.connectPubSub(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    }

    /**
     * Connects to Redis and loads the rooms' function library; rooms without members are kept for
     * {@link #DEFAULT_RETENTION}.
     *
     * @param uri {@code redis://HOST:PORT}, or {@code redis-sentinel://HOST:PORT[,HOST2:PORT2...]#MASTER} to find the
     *     primary through Sentinel and follow its failovers (Lettuce's URI syntax: a password, a database and
     *     {@code rediss://} or {@code rediss-sentinel://} for TLS are accepted)
     * @return a log connected to Redis with the library loaded; {@link #close()} it to release the connections
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     * @throws IllegalStateException if a node of another version of the library is alive on this Redis, or Redis
     *     is still loading its data after {@value #LOADING_WAIT_SECONDS} s (it is waited for until then)
     * @throws IllegalArgumentException if the URI is malformed
     */
    public static RedisRoomLog connect(String uri) {
        return connect(uri, DEFAULT_RETENTION);
    }

    /**
     * Connects to Redis and loads the rooms' function library.
     *
     * @param uri {@code redis://HOST:PORT}, or {@code redis-sentinel://HOST:PORT[,HOST2:PORT2...]#MASTER} to find the
     *     primary through Sentinel and follow its failovers (Lettuce's URI syntax: a password, a database and
     *     {@code rediss://} or {@code rediss-sentinel://} for TLS are accepted)
     * @param retention how long a room that has no member and no activity keeps its keys, and with them the reach
     *     of a resume by offset; at least a millisecond, and one longer than {@link SessionSettings#LONGEST} (100
     *     years) counts as that. Every node of a cluster should use the same.
     * @return a log connected to Redis with the library loaded; {@link #close()} it to release the connections
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     * @throws IllegalStateException if a node of another version of the library is alive on this Redis, or Redis
     *     is still loading its data after {@value #LOADING_WAIT_SECONDS} s (it is waited for until then)
     * @throws IllegalArgumentException if the URI is malformed or the retention shorter than a millisecond
     */
    public static RedisRoomLog connect(String uri, Duration retention) {
        return open(uri, retention, null);
    }

    /**
     * Connects to Redis and loads the rooms' function library; answers a call only once replicas have its writes,
     * so that a failover to one of them loses no acknowledged message (see {@link ReplicaWait} for the cost, and for
     * what it does not promise).
     *
     * @param uri as for {@link #connect(String, Duration)}; {@code redis-sentinel://} for a primary with replicas
     * @param retention as for {@link #connect(String, Duration)}
     * @param replicaWait how many replicas must confirm a call's writes ({@code WAIT}), and for how long it waits
     * @return a log connected to Redis with the library loaded; {@link #close()} it to release the connections
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     * @throws IllegalStateException if a node of another version of the library is alive on this Redis, or Redis
     *     is still loading its data after {@value #LOADING_WAIT_SECONDS} s (it is waited for until then)
     * @throws IllegalArgumentException if the URI is malformed or the retention shorter than a millisecond
     */
    public static RedisRoomLog connect(String uri, Duration retention, ReplicaWait replicaWait) {
        return open(uri, retention, Objects.requireNonNull(replicaWait, "replicaWait"));
    }

    private static RedisRoomLog open(String uri, Duration retention, ReplicaWait replicaWait) {
        if (Objects.requireNonNull(retention, "retention").compareTo(SessionSettings.LONGEST) > 0) {
            // Redis refuses an expiry past the largest time in milliseconds: every leave would fail.
            retention = SessionSettings.LONGEST;
        }
        if (retention.toMillis() < 1) {
            throw new IllegalArgumentException("a retention of at least a millisecond: " + retention);
        }
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS));
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ZERO, RECONNECT_DELAY_MAX, 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS)))
                .build());
        ReplicaBarrier replicas = null;
        if (replicaWait != null) {
            RedisClient barrierClient = RedisClient.create(resources, redisUri);
            barrierClient.setOptions(ClientOptions.builder()
                    .autoReconnect(false)
                    .timeoutOptions(TimeoutOptions.enabled(
                            Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS).plus(replicaWait.timeout())))
                    .build());
            replicas = new ReplicaBarrier(barrierClient, redisUri, replicaWait);
        }
        try {
            RedisRoomLog log = new RedisRoomLog(client, resources, replicas, readLibrary(), retention);
            try {
                log.installLibraryOnceLoaded();
            } catch (RuntimeException e) {
                log.close();
                throw e;
            }
            return log;
        } catch (RuntimeException e) {
            if (replicas != null) {
                replicas.close();
            }
            client.shutdown();
            resources.shutdown(0, 2, TimeUnit.SECONDS);
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

    /**
     * Installs the library as soon as Redis has loaded its data: nodes restarted with Redis after an outage that took
     * both would otherwise fail to start for as long as Redis reads its files.
     */
    private void installLibraryOnceLoaded() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOADING_WAIT_SECONDS);
        while (true) {
            try {
                installLibrary();
                return;
            } catch (RuntimeException e) {
                if (!(rootCause(e) instanceof RedisLoadingException)) {
                    throw e;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("Redis was still loading its data after " + LOADING_WAIT_SECONDS
                            + " s", e);
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(LOADING_POLL_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Loads this version's library in place of any other's, unless a node of another version is alive: the
     * arguments of the functions differ between versions, so such nodes would misread each other's calls.
     */
    private void installLibrary() {
        // The library is the server's, the keys a database's: a node of another version in any database uses it.
        List<String> args = new ArrayList<>(List.of(LIBRARY_VERSION));
        for (String line : commands.info("keyspace").toCompletableFuture().join().split("\r?\n")) {
            Matcher database = DATABASE_LINE.matcher(line);
            if (database.lookingAt()) {
                args.add(database.group(1));
            }
        }
        List<Object> other = commands.<List<Object>>eval(OTHER_VERSION_ALIVE, ScriptOutputType.MULTI, NO_KEYS,
                args.toArray(String[]::new)).toCompletableFuture().join();
        if (!other.isEmpty()) {
            String version = (String) other.get(2);
            throw new IllegalStateException("node " + other.get(1) + " runs version " + version + " of the rooms"
                    + " library on this Redis (database " + other.get(0) + "), this node version " + LIBRARY_VERSION
                    + ": stop every node of version " + version + " and wait " + NODE_TTL_MILLIS / 1000 + " s for its"
                    + " lease to run out before starting nodes of version " + LIBRARY_VERSION);
        }
        String ours = LIBRARY_PREFIX + "_" + LIBRARY_VERSION;
        for (Map<String, Object> loaded : commands.functionList(LIBRARY_PREFIX + "*").toCompletableFuture().join()) {
            Object name = loaded.get("library_name");
            if (!ours.equals(name)) {
                try {
                    commands.dispatch(CommandType.FUNCTION, new StatusOutput<>(StringCodec.UTF8),
                            new CommandArgs<>(StringCodec.UTF8).add("DELETE").add(String.valueOf(name)))
                            .toCompletableFuture().join();
                } catch (CompletionException e) {
                    // a node of this version starting at the same time deleted it first
                    if (!String.valueOf(rootCause(e).getMessage()).contains("Library not found")) {
                        throw e;
                    }
                }
            }
        }
        try {
            loadLibrary().join();
        } catch (CompletionException e) {
            // a node of another version loaded its library meanwhile: its functions have the same names as ours
            throw new IllegalStateException("could not load version " + LIBRARY_VERSION + " of the rooms library ("
                    + rootCause(e).getMessage() + "): is a node of another version starting on this Redis?", e);
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
            public void message(String channel, byte[] message) {
                if (channel.startsWith(SIGNAL_PREFIX) && channel.endsWith(SIGNAL_SUFFIX)) {
                    notified(channel.substring(SIGNAL_PREFIX.length(), channel.length() - SIGNAL_SUFFIX.length()),
                            message, signals);
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

    /**
     * Passes on a room's notification: its event, or with a {@link ReplicaWait} only its sequence number, so that
     * the node reads the event once the replicas have it rather than deliver what a failover could undo.
     */
    private void notified(String room, byte[] message, Signals signals) {
        RoomEvent event = Notification.event(message);
        if (event == null) {
            // not ours: the periodic read covers the room anyway
            return;
        }
        if (replicas != null) {
            signals.appended(room, event.offset().sequence());
            return;
        }
        record(room, event.offset().epoch(), event.offset().sequence());
        signals.appended(room, event);
    }

    @Override
    public CompletableFuture<Joined> join(String room, String member) {
        return join(room, member, Integer.MAX_VALUE, newCallId());
    }

    /**
     * {@inheritDoc} Redis keeps the rooms of each name present on any node ({@code sw:name:{NAME}:rooms}), and
     * checks the bound in the join's own call: no round trip more.
     */
    @Override
    public CompletableFuture<Joined> join(String room, String member, int maxRoomsPerName) {
        return join(room, member, maxRoomsPerName, newCallId());
    }

    /** A join under the given call id: the same id, sent again, is the same join (as Lettuce's replay sends it). */
    CompletableFuture<Joined> join(String room, String member, String callId) {
        return join(room, member, Integer.MAX_VALUE, callId);
    }

    private CompletableFuture<Joined> join(String room, String member, int maxRoomsPerName, String callId) {
        Known had = known(room);
        Known global = clock;
        return call("sw_join", room, newEpoch(), Integer.toString(HISTORY), member, nodeId, had.epoch(),
                Long.toString(had.sequence()), retentionMillis, global.epoch(), Long.toString(global.sequence()), callId,
                Integer.toString(DEDUPE_SECONDS), Integer.toString(NODE_TTL_MILLIS), Integer.toString(maxRoomsPerName))
                .thenApply(reply -> {
            long sequence = (Long) reply.get(1);
            record(room, (String) reply.get(0), Math.max(sequence, 0));
            if (sequence == TOO_MANY_ROOMS) {
                throw new CompletionException(new RoomException(RoomException.Reason.TOO_MANY_ROOMS, "the name "
                        + member + " is in " + reply.get(3) + " rooms across the nodes, the most one name may be in"));
            }
            if (sequence < 0) {
                throw new CompletionException(nameTaken(room, member, (Long) reply.get(4)));
            }
            // sized, and wrapped rather than copied: in a room of hundreds, the names are most of a join's garbage
            List<String> present = new ArrayList<>(reply.size() - 3);
            for (Object name : reply.subList(3, reply.size())) {
                present.add((String) name);
            }
            present.sort(null);
            return new Joined((String) reply.get(0), sequence, Collections.unmodifiableList(present),
                    origin(reply.get(2)));
        });
    }

    /**
     * The refusal of a name another node holds, saying when to try again: that node may have crashed, and then the
     * name is free once its lease ran out and a node reaped it. Redis cannot tell a live node from one that died
     * within its lease, so the wait is the longest it may be: an alive holder keeps the name, and a retry is refused
     * again with the next wait.
     */
    private static RoomException nameTaken(String room, String member, long leaseLeftMillis) {
        Duration wait = Duration.ofMillis(Math.max(0, leaseLeftMillis) + REAP_DELAY_MILLIS);
        return new RoomException(RoomException.Reason.NAME_TAKEN, "the name " + member + " is taken in " + room
                + " on another node; if that node has stopped, it is free within " + (wait.toMillis() + 999) / 1000 + " s", wait);
    }

    @Override
    public CompletableFuture<Appended> append(String room, String member, String messageId, String text) {
        // The call id dedupes a message without an id when Lettuce sends the call again after a reconnect.
        Known had = known(room);
        Known global = clock;
        return call("sw_append", room, newEpoch(), Integer.toString(HISTORY), member, messageId, text,
                Integer.toString(DEDUPE_SECONDS), newCallId(), had.epoch(), Long.toString(had.sequence()),
                retentionMillis, global.epoch(), Long.toString(global.sequence())).thenApply(reply -> {
                    record(room, (String) reply.get(0), (Long) reply.get(1));
                    return new Appended((String) reply.get(0), (Long) reply.get(1), (Long) reply.get(2) == 1);
                });
    }

    @Override
    public CompletableFuture<Boolean> leave(String room, String member) {
        return leave(room, member, newCallId());
    }

    /** A leave under the given call id: the same id, sent again, is the same leave (as Lettuce's replay sends it). */
    CompletableFuture<Boolean> leave(String room, String member, String callId) {
        Known had = known(room);
        Known global = clock;
        // A leave that wrote nothing (the node no longer held the name: an earlier leave of it ran, or a reap did)
        // has nothing of its own for replicas to confirm, and is answered at once. Confirming it would fail for as
        // long as no replica answers, and Rooms would write it again at every beat meanwhile, though Redis has it:
        // a replica that comes back gets the earlier leave with the rest of the data.
        return call("sw_leave", reply -> (Long) reply.get(0) != 0, room, Integer.toString(HISTORY), member, nodeId,
                retentionMillis, newEpoch(), had.epoch(), Long.toString(had.sequence()), global.epoch(),
                Long.toString(global.sequence()), callId, Integer.toString(DEDUPE_SECONDS))
                .thenApply(reply -> (Long) reply.get(0) > 0);
    }

    /** An id of a call, unique to this start of the node: what a call sent again is told from a new one by. */
    private String newCallId() {
        return nodeId + ":" + calls.incrementAndGet();
    }

    @Override
    public CompletableFuture<Page> read(String room, long after, int limit) {
        Known had = known(room);
        Known global = clock;
        return call("sw_read", room, newEpoch(), Long.toString(after), Integer.toString(limit), had.epoch(),
                Long.toString(had.sequence()), retentionMillis, global.epoch(), Long.toString(global.sequence()),
                Integer.toString(PAGE_BYTES))
                .thenApply(reply -> {
            String epoch = (String) reply.get(0);
            List<?> entries = (List<?>) reply.get(1);
            List<RoomEvent> events = new ArrayList<>(entries.size());
            for (Object entry : entries) {
                events.add(event(epoch, (List<?>) entry));
            }
            record(room, epoch, events.isEmpty() ? 0 : events.get(events.size() - 1).offset().sequence());
            return new Page(epoch, events, origin(reply.get(2)));
        });
    }

    /** The room's {@code origin}: the epoch before its own and the last offset of it that its own keeps, or none. */
    private static RoomOffset origin(Object value) {
        String text = (String) value;
        return text.isEmpty() ? null : RoomOffset.parse(text);
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
        Known global = clock;
        return call("sw_beat", nodeId, Integer.toString(NODE_TTL_MILLIS), Long.toString(calls.incrementAndGet()),
                newEpoch(), global.epoch(), Long.toString(global.sequence())).thenApply(reply -> {
                    learnClock((String) reply.get(1), (Long) reply.get(2));
                    return (Long) reply.get(0) == 1;
                }).whenComplete((known, error) -> beatLanded(error == null));
    }

    private synchronized void beatLanded(boolean landed) {
        if (!landed) {
            landingSince = NOT_LANDING;
        } else if (landingSince == NOT_LANDING) {
            landingSince = System.nanoTime();
        }
    }

    private synchronized void learnClock(String era, long count) {
        clock = clock.merge(era, count);
    }

    /**
     * {@inheritDoc} A batch of at most {@value #REAP_BATCH} leaves per call to Redis, calls following each other
     * until every dead node is reaped, so that other clients are served in between; one reaping at a time per node.
     * Nothing is reaped until this node's own beats have landed, none failing, for a whole lease
     * ({@value #NODE_TTL_MILLIS} ms): Redis refusing every write (a failed snapshot, too few replicas) refuses every
     * node's beats alike, and their leases, all run out, are not theirs to lose before they could beat again.
     */
    @Override
    public CompletableFuture<Integer> reapDeadNodes() {
        long since = landingSince;
        if (since == NOT_LANDING || System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(NODE_TTL_MILLIS)) {
            return CompletableFuture.completedFuture(0);
        }
        if (!reaping.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(0);
        }
        return reapBatches(0).whenComplete((reaped, error) -> reaping.set(false));
    }

    private CompletableFuture<Integer> reapBatches(int reapedBefore) {
        Known global = clock;
        return call("sw_reap", Integer.toString(HISTORY), Integer.toString(REAP_BATCH), retentionMillis, newEpoch(),
                global.epoch(), Long.toString(global.sequence()))
                .thenCompose(reply -> {
                    int reaped = reapedBefore + ((Long) reply.get(0)).intValue();
                    return (Long) reply.get(1) == 1 ? reapBatches(reaped) : CompletableFuture.completedFuture(reaped);
                });
    }

    /**
     * Calls a function of the library, loading the library again if Redis lost it (a restart without data); with a
     * {@link ReplicaWait}, answers once replicas have what the call wrote or read, so that nothing this node records
     * or delivers can be undone by a failover.
     */
    private CompletableFuture<List<Object>> call(String function, String... args) {
        return call(function, reply -> true, args);
    }

    /** @param confirmed whether a reply waits for the replicas' confirmation (with a {@link ReplicaWait}) */
    private CompletableFuture<List<Object>> call(String function, Predicate<List<Object>> confirmed, String... args) {
        // Every call ends with this node's version, which the library checks: a late node of another version's
        // calls are refused rather than misread.
        String[] versioned = Arrays.copyOf(args, args.length + 1);
        versioned[args.length] = LIBRARY_VERSION;
        return this.<List<Object>>fcall(function, versioned).exceptionallyCompose(error -> {
            if (String.valueOf(rootCause(error).getMessage()).contains("Function not found")) {
                return loadLibrary().thenCompose(loaded -> fcall(function, versioned));
            }
            return CompletableFuture.failedFuture(error);
        }).thenCompose(reply -> confirmed.test(reply) ? replicated(reply) : CompletableFuture.completedFuture(reply));
    }

    private <T> CompletableFuture<T> replicated(T reply) {
        return replicas == null ? CompletableFuture.completedFuture(reply) : replicas.confirm().thenApply(had -> reply);
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

    /**
     * A candidate for a room's epoch, taken only if the room has none: fresh for every call. 63 random bits: an
     * unsigned 64, half the time above a long's range, was written through a BigInteger at every call.
     */
    private static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    @Override
    public void close() {
        pubsub.close();
        connection.close();
        if (replicas != null) {
            replicas.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
