package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomLog;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each event comes with its notification (rooms.lua's {@code add} publishes it), so that a node delivers it without
 * reading the stream: what a notification carries must be exactly what a read returns, for any name, message id and
 * text, since a member gets an event from either. With a {@link ReplicaWait} the notification stays a hint: an
 * event is delivered only once replicas have it, which only a read waits for.
 */
class NotifiedEventsTest {
    private static final String ROOM = "lobby";

    /** Records the notifications: events, and sequence numbers passed without their event. */
    private static final class Recorder implements RoomLog.Signals {
        final List<RoomEvent> events = new ArrayList<>();
        final List<Long> hints = new ArrayList<>();

        @Override
        public synchronized void appended(String room, long sequence) {
            hints.add(sequence);
        }

        @Override
        public synchronized void appended(String room, RoomEvent event) {
            events.add(event);
        }

        @Override
        public void reconnected() {
        }

        synchronized int count() {
            return events.size() + hints.size();
        }
    }

    @Test
    void aNotificationCarriesItsEventExactlyAsAReadReturnsIt() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog log = RedisRoomLog.connect(redis.uri())) {
            Recorder recorder = new Recorder();
            log.start("notified", recorder);
            subscribe(redis, log);
            // newlines, spaces and characters of two, three and four bytes, where the header's lengths count bytes
            String member = "ann é\nb";
            log.join(ROOM, member).get(10, TimeUnit.SECONDS);
            log.append(ROOM, member, "id 1\n€", "héllo\n😀 world 3 x 4\n").get(10, TimeUnit.SECONDS);
            log.append(ROOM, member, "", "").get(10, TimeUnit.SECONDS);
            log.leave(ROOM, member).get(10, TimeUnit.SECONDS);
            List<RoomEvent> read = log.read(ROOM, 0, 100).get(10, TimeUnit.SECONDS).events();
            assertEquals(4, read.size(), read.toString());

            awaitCount(recorder, read.size());
            synchronized (recorder) {
                assertEquals(List.of(), recorder.hints, "every notification carries its event");
                assertEquals(read, recorder.events);
            }
        }
    }

    @Test
    void withAReplicaWaitANotificationIsOnlyAHint() throws Exception {
        try (RedisServer primary = RedisServer.start(RedisServer.Persistence.NONE);
             RedisServer replica = RedisServer.startReplica(RedisServer.Persistence.NONE, primary.port());
             RedisRoomLog log = RedisRoomLog.connect(primary.uri(), RedisRoomLog.DEFAULT_RETENTION,
                     new ReplicaWait(1, Duration.ofSeconds(10)))) {
            Recorder recorder = new Recorder();
            log.start("replicated", recorder);
            subscribe(primary, log);
            long sequence = log.join(ROOM, "ann").get(30, TimeUnit.SECONDS).sequence();

            awaitCount(recorder, 1);
            synchronized (recorder) {
                assertEquals(List.of(), recorder.events, "no event before the replicas have it");
                assertEquals(List.of(sequence), recorder.hints);
            }
        }
    }

    /** Watches the room and waits until Redis has the subscription, which Lettuce makes asynchronously. */
    private static void subscribe(RedisServer redis, RedisRoomLog log) throws Exception {
        log.watch(ROOM);
        String channel = "sw:{" + ROOM + "}:signal";
        try (RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Map<String, Long> subscribers = connection.sync().pubsubNumsub(channel);
                if (subscribers.getOrDefault(channel, 0L) == 1) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "the room's channel was not subscribed within 10 s");
                Thread.sleep(10);
            }
        }
    }

    private static void awaitCount(Recorder recorder, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (recorder.count() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // a moment more, for a notification too many
        Thread.sleep(100);
        assertEquals(count, recorder.count(), "notifications");
    }
}
