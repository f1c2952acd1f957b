package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A randomized check of the rooms' delivery guarantee on a real redis-server, in the manner of Jepsen: three nodes
 * (each a {@link Rooms} on its own {@link RedisRoomLog}, their links to Redis through a {@link ReplyDroppingProxy}),
 * two rooms, eight members publishing, each publish recorded as acknowledged or refused, and faults drawn from a seed:
 * a node stopped (cleanly, or as a crash: its link cut, nothing written) and a new one started in its place, a member
 * moving to another node and resuming after its last offset, Redis killed with SIGKILL and restarted from its
 * append-only file ({@code appendfsync always}), Redis paused with SIGSTOP, a reply of a given function lost with its
 * connection; half the outages of Redis see a member move meanwhile. A variant runs on a primary with a replica, every
 * node with {@code ReplicaWait(1, 500 ms)}, and kills the replica too (every call refused until it is back). Once the
 * faults heal, {@link DeliveryChecker} checks every member's whole history, the logs and presence.
 *
 * <p>Each run's first line on standard output says how to run it again ({@code -Dsockwave.chaos.seed=S}, with
 * {@code -Dsockwave.chaos.replica=true} for the variant, {@code -Dsockwave.chaos.long=true} for a long one). The
 * default suite runs three fixed seeds, short (40 steps of 0.1 s, pauses up to 1.5 s);
 * {@code -Dsockwave.chaos.seeds=N} runs N more random ones, every other one with the replica, six times longer, with
 * pauses of Redis past the command timeout and the nodes' lease (up to 12 s). The seed draws the faults and the
 * publishes; the timing of threads and processes is not the seed's, so a run is reproduced in what it did, not to the
 * millisecond.
 */
class RoomsChaosTest {
    private static final int NODES = 3;
    private static final List<String> ROOMS = List.of("chaos-a", "chaos-b");
    private static final int MEMBERS_PER_ROOM = 4;
    private static final Duration STEP = Duration.ofMillis(100);
    private static final Duration HEAL = Duration.ofSeconds(60);
    private static final Duration ANSWERED = Duration.ofSeconds(45);
    private static final String[] FUNCTIONS = {"sw_append", "sw_join", "sw_leave", "sw_read", "sw_beat"};

    private enum Fault { MOVE, STOP_NODE, CRASH_NODE, KILL_REDIS, PAUSE_REDIS, LOSE_REPLY, KILL_REPLICA }

    /** The default suite's runs: two on a lone Redis, one on a primary with a replica and {@link ReplicaWait}. */
    private static final List<Arguments> DEFAULT = List.of(Arguments.of(20261203L, false), Arguments.of(7L, false),
            Arguments.of(424242L, true));

    static Stream<Arguments> runs() {
        String one = System.getProperty("sockwave.chaos.seed");
        if (one != null) {
            return Stream.of(Arguments.of(Long.parseLong(one), Boolean.getBoolean("sockwave.chaos.replica")));
        }
        int more = Integer.getInteger("sockwave.chaos.seeds", 0);
        Random random = new Random();
        return Stream.concat(DEFAULT.stream(),
                IntStream.range(0, more).mapToObj(i -> Arguments.of(random.nextLong(), i % 2 == 1)));
    }

    @ParameterizedTest(name = "seed {0}, replica {1}")
    @MethodSource("runs")
    void everyMemberGetsEveryAcknowledgedMessageOnceInTheLogsOrderThroughRandomFaults(long seed, boolean replica)
            throws Exception {
        boolean extended = System.getProperty("sockwave.chaos.seed") != null ? Boolean.getBoolean("sockwave.chaos.long")
                : DEFAULT.stream().noneMatch(run -> run.get()[0].equals(seed));
        System.out.println("RoomsChaosTest seed " + seed + (replica ? " (replica)" : "") + (extended ? " (long)" : "")
                + ": run again with -Dsockwave.chaos.seed=" + seed + (replica ? " -Dsockwave.chaos.replica=true" : "")
                + (extended ? " -Dsockwave.chaos.long=true" : ""));
        try (Run run = new Run(seed, replica, extended)) {
            run.go();
        }
    }

    /** One seed's run: its processes, nodes, members and what they did. */
    private static final class Run implements AutoCloseable {
        final long seed;
        final Random faults;
        final Random choices;
        final int steps;
        final long longestPauseMillis;
        final RedisServer redis;
        /** A replica of it, whose confirmation every call waits for ({@link ReplicaWait}); or null. */
        final RedisServer replica;
        final List<Fault> drawable;
        final ReplyDroppingProxy proxy;
        final Rooms[] nodes = new Rooms[NODES];
        final RedisRoomLog[] logs = new RedisRoomLog[NODES];
        final List<Rooms> stopped = new ArrayList<>();
        final List<ChaosMember> members = new ArrayList<>();
        final ScheduledExecutorService clients = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chaos-clients");
            thread.setDaemon(true);
            return thread;
        });
        final Map<String, Map<String, RoomOffset>> acknowledged = new ConcurrentHashMap<>();
        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger outstanding = new AtomicInteger();
        final Map<Fault, Integer> drawn = new EnumMap<>(Fault.class);
        volatile boolean publishing = true;

        Run(long seed, boolean replicated, boolean extended) throws Exception {
            this.seed = seed;
            this.faults = new Random(seed);
            this.choices = new Random(seed ^ 0x5DEECE66DL);
            this.steps = extended ? 240 : 40;
            this.longestPauseMillis = extended ? 12_000 : 1_500;
            redis = RedisServer.start(RedisServer.Persistence.AOF_ALWAYS);
            replica = replicated ? RedisServer.startReplica(RedisServer.Persistence.NONE, redis.port()) : null;
            drawable = Stream.of(Fault.values()).filter(f -> replicated || f != Fault.KILL_REPLICA).toList();
            proxy = new ReplyDroppingProxy(redis.port());
            for (int i = 0; i < NODES; i++) {
                startNode(i);
            }
            for (String room : ROOMS) {
                acknowledged.put(room, new ConcurrentHashMap<>());
                for (int i = 0; i < MEMBERS_PER_ROOM; i++) {
                    members.add(new ChaosMember(room, "m" + i));
                }
            }
        }

        void startNode(int slot) throws InterruptedException {
            for (int attempt = 1; ; attempt++) {
                try {
                    logs[slot] = replica == null ? RedisRoomLog.connect(proxy.uri())
                            : RedisRoomLog.connect(proxy.uri(), RedisRoomLog.DEFAULT_RETENTION,
                                    new ReplicaWait(1, Duration.ofMillis(500)));
                    break;
                } catch (RuntimeException cut) {
                    // the proxy, armed, may lose the reply of the library's load (its text names every function)
                    if (attempt == 10) {
                        throw cut;
                    }
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
            nodes[slot] = Rooms.on(logs[slot], "chaos" + slot + "-" + Rooms.randomNodeId());
        }

        synchronized int pick(int bound) {
            return choices.nextInt(bound);
        }

        /** Joins the member on a node, resuming after its last offset, again and again until one takes it. */
        void place(ChaosMember member, long delayMillis) {
            try {
                schedulePlace(member, delayMillis);
            } catch (RejectedExecutionException over) {
                // the run is over: the members closed with their nodes stay out
            }
        }

        private void schedulePlace(ChaosMember member, long delayMillis) {
            clients.schedule(() -> {
                int slot = pick(NODES);
                ChaosMember.Session session = member.open(slot);
                session.onClosedRun(() -> place(member, 100));
                nodes[slot].join(member.room, member.name, session.since(), session).whenComplete((membership, error) -> {
                    if (error != null) {
                        // taken (a crashed node's member, not yet reaped), or Redis down: another try soon
                        if (member.abandon(session)) {
                            place(member, 300);
                        }
                    } else if (member.joined() != session) {
                        // dropped meanwhile (its node crashed): the member is placed elsewhere already
                        membership.leave();
                    }
                }).exceptionally(error -> null);
            }, delayMillis, TimeUnit.MILLISECONDS);
        }

        void go() throws Exception {
            members.forEach(member -> place(member, 0));
            Thread publisher = new Thread(this::publish, "chaos-publisher");
            publisher.setDaemon(true);
            publisher.start();
            for (int step = 0; step < steps; step++) {
                TimeUnit.MILLISECONDS.sleep(STEP.toMillis());
                if (faults.nextInt(4) == 0) {
                    fault(drawable.get(faults.nextInt(drawable.size())));
                }
            }
            heal(publisher);
        }

        /** Publishes from a random joined member every few milliseconds until the faults are over. */
        void publish() {
            Random random = new Random(seed + 1);
            for (int n = 0; publishing && n < 100_000; n++) {
                ChaosMember member = members.get(random.nextInt(members.size()));
                ChaosMember.Session session = member.joined();
                if (session != null) {
                    Membership membership = session.membership();
                    String id = "p" + n;
                    String key = member.name + "/" + id;
                    published.incrementAndGet();
                    outstanding.incrementAndGet();
                    membership.publish(id, "message " + n).whenComplete((offset, error) -> {
                        if (error == null) {
                            acknowledged.get(member.room).put(key, offset);
                        } else {
                            refused.incrementAndGet();
                        }
                        outstanding.decrementAndGet();
                    });
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void fault(Fault fault) throws Exception {
            drawn.merge(fault, 1, Integer::sum);
            switch (fault) {
                case MOVE -> move();
                case STOP_NODE -> {
                    int slot = faults.nextInt(NODES);
                    // its members are closed ("shutting down") and join elsewhere, as a client reconnects
                    nodes[slot].close();
                    startNode(slot);
                }
                case CRASH_NODE -> {
                    int slot = faults.nextInt(NODES);
                    logs[slot].close();
                    stopped.add(nodes[slot]);
                    for (ChaosMember member : members) {
                        ChaosMember.Session session = member.drop(slot);
                        if (session != null) {
                            place(member, 0);
                        }
                    }
                    startNode(slot);
                }
                case KILL_REDIS -> {
                    long down = 100 + faults.nextInt(1_500);
                    redis.crash();
                    duringOutage();
                    TimeUnit.MILLISECONDS.sleep(down);
                    redis.restart();
                }
                case PAUSE_REDIS -> {
                    long paused = 200 + faults.nextLong(longestPauseMillis - 200);
                    redis.pause();
                    duringOutage();
                    TimeUnit.MILLISECONDS.sleep(paused);
                    redis.resume();
                }
                case LOSE_REPLY -> proxy.arm(FUNCTIONS[faults.nextInt(FUNCTIONS.length)]);
                case KILL_REPLICA -> {
                    // every call is refused meanwhile: its WAIT finds no replica
                    long down = 100 + faults.nextInt(1_500);
                    replica.crash();
                    duringOutage();
                    TimeUnit.MILLISECONDS.sleep(down);
                    replica.restart();
                }
            }
        }

        /** Half the outages see a member move meanwhile: its leave cannot be written until Redis is back. */
        void duringOutage() {
            if (faults.nextBoolean()) {
                drawn.merge(Fault.MOVE, 1, Integer::sum);
                move();
            }
        }

        void move() {
            ChaosMember member = members.get(faults.nextInt(members.size()));
            ChaosMember.Session session = member.drop(-1);
            if (session != null && session.membership() != null) {
                session.membership().leave().whenComplete((ok, error) -> place(member, 0));
            } else if (session != null) {
                place(member, 0);
            }
        }

        void heal(Thread publisher) throws Exception {
            long deadline = System.nanoTime() + HEAL.toNanos();
            List<String> violations = new ArrayList<>();
            for (ChaosMember member : members) {
                while (member.joined() == null && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(50);
                }
                if (member.joined() == null) {
                    violations.add(member.room + "/" + member.name + " could not join any node within " + HEAL);
                }
            }
            // a last stretch without faults: every member publishes again before the checks
            TimeUnit.SECONDS.sleep(1);
            publishing = false;
            publisher.join();
            // a publish is answered within the command timeout, and with a ReplicaWait a round of WAIT more (its
            // connect and its commands bounded by the same timeout): a bound of its own, whatever the joins took
            long answered = System.nanoTime() + ANSWERED.toNanos();
            while (outstanding.get() > 0 && System.nanoTime() < answered) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertEquals(0, outstanding.get(), "publishes neither acknowledged nor refused within " + ANSWERED
                    + " (seed " + seed + ")");
            deadline = System.nanoTime() + HEAL.toNanos();
            try (RedisRoomLog reader = RedisRoomLog.connect(redis.uri());
                 RedisClient admin = RedisClient.create(redis.uri());
                 StatefulRedisConnection<String, String> link = admin.connect()) {
                for (String room : ROOMS) {
                    violations.addAll(check(room, reader, link, deadline));
                }
            }
            System.out.println("RoomsChaosTest seed " + seed + ": " + steps + " steps, faults " + drawn + ", "
                    + published + " publishes, " + acknowledged.values().stream().mapToInt(Map::size).sum()
                    + " acknowledged, " + refused + " refused, " + proxy.cut() + " replies lost, "
                    + members.stream().mapToLong(m -> m.history().stream()
                            .filter(ChaosMember.Start.class::isInstance).count()).sum() + " joins by members, "
                    + members.stream().mapToLong(m -> m.history().stream()
                            .filter(ChaosMember.Reset.class::isInstance).count()).sum() + " resets");
            for (ChaosMember member : members) {
                RoomOffset before = null;
                for (Object entry : member.history()) {
                    if (entry instanceof ChaosMember.Reset reset) {
                        System.out.println("  reset of " + member.room + "/" + member.name + " after " + before
                                + ": " + reset);
                        before = reset.resumesAfter();
                    } else if (entry instanceof ChaosMember.Start start) {
                        before = start.since();
                    } else {
                        before = ((RoomEvent) entry).offset();
                    }
                }
            }
            assertTrue(violations.isEmpty(), "seed " + seed + " (-Dsockwave.chaos.seed=" + seed + "): "
                    + violations.size() + " violations:\n" + String.join("\n", violations));
        }

        /** Waits until presence converged and every member has the log's head, then checks the room. */
        List<String> check(String room, RedisRoomLog reader, StatefulRedisConnection<String, String> link,
                           long deadline) throws Exception {
            Set<String> expected = new TreeSet<>();
            members.stream().filter(m -> m.room.equals(room)).forEach(m -> expected.add(m.name));
            RoomLog.Page log;
            Set<String> inRedis;
            while (true) {
                log = wholeLog(reader, room);
                inRedis = new TreeSet<>(link.sync().hkeys("sw:{" + room + "}:members"));
                RoomOffset head = log.events().get(log.events().size() - 1).offset();
                boolean caughtUp = true;
                for (ChaosMember member : members) {
                    if (member.room.equals(room)) {
                        caughtUp &= head.equals(member.position());
                    }
                }
                if ((caughtUp && inRedis.equals(expected) && expected.equals(presentByLog(log)))
                        || System.nanoTime() > deadline) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            DeliveryChecker checker = new DeliveryChecker(room, log, true);
            for (ChaosMember member : members) {
                if (member.room.equals(room)) {
                    checker.member(member.name, member.history());
                }
            }
            checker.acknowledged(acknowledged.get(room));
            checker.presence(expected);
            List<String> violations = new ArrayList<>(checker.violations());
            for (ChaosMember member : members) {
                if (member.room.equals(room) && !checker.head().equals(member.position())) {
                    violations.add(room + "/" + member.name + " is at " + member.position() + ", not at the log's"
                            + " head " + checker.head());
                }
            }
            if (!inRedis.equals(expected)) {
                violations.add(room + ": Redis holds " + inRedis + " as members, not " + expected);
            }
            return violations;
        }

        static Set<String> presentByLog(RoomLog.Page log) {
            Set<String> present = new HashSet<>();
            for (RoomEvent event : log.events()) {
                if (event.kind() == RoomEvent.Kind.JOIN) {
                    present.add(event.member());
                } else if (event.kind() == RoomEvent.Kind.LEAVE) {
                    present.remove(event.member());
                }
            }
            return present;
        }

        /** The room's whole log, read from its first event, in one epoch. */
        static RoomLog.Page wholeLog(RedisRoomLog reader, String room) throws Exception {
            for (int attempt = 0; attempt < 10; attempt++) {
                List<RoomEvent> all = new ArrayList<>();
                RoomLog.Page page = reader.read(room, 0, 500).get(10, TimeUnit.SECONDS);
                String epoch = page.epoch();
                all.addAll(page.events());
                while (page.events().size() == 500 && page.epoch().equals(epoch)) {
                    page = reader.read(room, all.get(all.size() - 1).offset().sequence(), 500)
                            .get(10, TimeUnit.SECONDS);
                    all.addAll(page.events());
                }
                if (page.epoch().equals(epoch)) {
                    return new RoomLog.Page(epoch, all, page.origin());
                }
            }
            throw new AssertionError("the epoch of " + room + " changed at each of 10 reads");
        }

        @Override
        public void close() throws Exception {
            publishing = false;
            clients.shutdownNow();
            for (Rooms node : nodes) {
                node.close();
            }
            stopped.forEach(Rooms::close);
            proxy.close();
            if (replica != null) {
                replica.close();
            }
            redis.close();
        }
    }
}
