package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomListener;
import io.sockwave.room.RoomOffset;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The soak of issue #16, not part of the default suite (its name does not end in Test): three nodes, 50 rooms, 600
 * members, 200 publishes a second for ten minutes, with a node killed (its members resume on another node with
 * their offsets), Redis paused for 5 s and Redis crashed and restarted with {@code appendfsync always}. Prints
 * lost, duplicated and reordered events (all must be 0), acknowledged messages missing from the logs, and the
 * publish-to-delivery latency. Run it with {@code redis/soak.sh [SECONDS]}.
 */
class RoomsSoak {
    private static final int SECONDS = Integer.getInteger("sockwave.soak.seconds", 600);
    private static final int ROOMS = Integer.getInteger("sockwave.soak.rooms", 50);
    private static final int MEMBERS = Integer.getInteger("sockwave.soak.members", 600);
    private static final int RATE = Integer.getInteger("sockwave.soak.rate", 200);

    private static final AtomicLong lost = new AtomicLong();
    private static final AtomicLong duplicated = new AtomicLong();
    private static final AtomicLong reordered = new AtomicLong();
    private static final AtomicLong resets = new AtomicLong();
    private static final long[] latencies = new long[1 << 20];
    private static final AtomicLong latencyCount = new AtomicLong();

    /** Counts what goes wrong instead of failing at the first problem, and samples latencies. */
    private static final class Counter implements RoomListener {
        volatile Membership membership;
        volatile long last = -1;
        volatile String epoch;

        @Override
        public void onJoined(Membership joined) {
            membership = joined;
        }

        @Override
        public void onEvent(RoomEvent event) {
            long sequence = event.offset().sequence();
            if (last >= 0 && event.offset().epoch().equals(epoch)) {
                if (sequence <= last) {
                    (sequence == last ? duplicated : reordered).incrementAndGet();
                } else if (sequence > last + 1) {
                    lost.addAndGet(sequence - last - 1);
                }
            }
            last = Math.max(last, sequence);
            epoch = event.offset().epoch();
            if (event.kind() == RoomEvent.Kind.MESSAGE) {
                long sent = Long.parseLong(event.text().substring(0, event.text().indexOf(' ')));
                long index = latencyCount.getAndIncrement();
                latencies[(int) (index % latencies.length)] = System.nanoTime() - sent;
            }
        }

        @Override
        public void onReset(String reason, RoomOffset resumesAfter) {
            resets.incrementAndGet();
            last = resumesAfter.sequence();
            epoch = resumesAfter.epoch();
        }

        @Override
        public void onClosed(String reason) {
        }
    }

    @Test
    void soak() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.AOF_ALWAYS)) {
            List<RedisRoomLog> logs = new ArrayList<>();
            List<Rooms> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                logs.add(RedisRoomLog.connect(redis.uri()));
                nodes.add(Rooms.on(logs.get(i), "soak" + i + "-" + Rooms.randomNodeId()));
            }
            List<Counter> members = new ArrayList<>();
            List<String> rooms = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                Counter counter = new Counter();
                nodes.get(i % 3).join("soak-" + (i % ROOMS), "m" + i, null, counter).get(30, TimeUnit.SECONDS);
                members.add(counter);
                rooms.add("soak-" + (i % ROOMS));
            }
            ConcurrentHashMap<String, RoomOffset> acknowledged = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, String> ackedRoom = new ConcurrentHashMap<>();
            AtomicLong refused = new AtomicLong();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
            boolean killed = false;
            boolean paused = false;
            boolean restarted = false;
            long published = 0;
            while (System.nanoTime() < end) {
                double done = (System.nanoTime() - start) / (double) (end - start);
                if (!killed && done > 0.2) {
                    killed = true;
                    logs.get(2).close();
                    for (int i = 2; i < MEMBERS; i += 3) {
                        Counter old = members.get(i);
                        Counter moved = new Counter();
                        moved.last = old.last;
                        moved.epoch = old.epoch;
                        RoomOffset since = old.epoch == null ? null : new RoomOffset(old.epoch, old.last);
                        nodes.get(0).join(rooms.get(i), "m" + i + "-moved", since, moved).get(30, TimeUnit.SECONDS);
                        members.set(i, moved);
                    }
                } else if (!paused && done > 0.4) {
                    paused = true;
                    redis.pause();
                    TimeUnit.SECONDS.sleep(5);
                    redis.resume();
                } else if (!restarted && done > 0.6) {
                    restarted = true;
                    redis.crashAndRestart();
                }
                int senderIndex = (int) (published * 7 % MEMBERS);
                Counter sender = members.get(senderIndex);
                String id = "p" + published++;
                ackedRoom.put(id, rooms.get(senderIndex));
                sender.membership.publish(id, System.nanoTime() + " soak").whenComplete((offset, error) -> {
                    if (error == null) {
                        acknowledged.put(id, offset);
                    } else {
                        refused.incrementAndGet();
                    }
                });
                TimeUnit.MICROSECONDS.sleep(1_000_000 / RATE);
            }
            TimeUnit.SECONDS.sleep(15);
            long missing = 0;
            try (Cluster reader = new Cluster(redis.uri(), 0)) {
                for (String room : new HashSet<>(rooms)) {
                    Map<RoomOffset, String> logged = new HashMap<>();
                    reader.log(room).forEach(event -> logged.put(event.offset(), event.messageId()));
                    missing += acknowledged.entrySet().stream()
                            .filter(e -> ackedRoom.get(e.getKey()).equals(room))
                            .filter(e -> !e.getKey().equals(logged.get(e.getValue()))).count();
                }
            }
            int samples = (int) Math.min(latencyCount.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, samples);
            Arrays.sort(sorted);
            System.out.printf("soak: %d s, %d rooms, %d members, %d published, %d acknowledged, %d refused%n",
                    SECONDS, ROOMS, MEMBERS, published, acknowledged.size(), refused.get());
            System.out.printf("soak: lost %d, duplicated %d, reordered %d, resets %d, acknowledged missing %d%n",
                    lost.get(), duplicated.get(), reordered.get(), resets.get(), missing);
            if (samples > 0) {
                System.out.printf("soak: delivery latency p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d deliveries%n",
                        sorted[samples / 2] / 1e6, sorted[(int) (samples * 0.99)] / 1e6, sorted[samples - 1] / 1e6,
                        latencyCount.get());
            }
            nodes.forEach(Rooms::close);
            assertEquals(0, lost.get() + duplicated.get() + reordered.get() + missing);
        }
    }
}
