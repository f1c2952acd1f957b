package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import io.sockwave.room.Rooms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Several room nodes in this JVM sharing one Redis, as separate processes would, and checks over them. */
final class Cluster implements AutoCloseable {
    static final Duration SETTLE = Duration.ofSeconds(20);

    private final String redisUri;
    private final List<Rooms> nodes = new ArrayList<>();
    private final List<RedisRoomLog> logs = new ArrayList<>();
    private final Map<Transcript, RoomOffset> starts = new LinkedHashMap<>();
    private final Map<Transcript, String> names = new HashMap<>();

    Cluster(String redisUri, int nodeCount) {
        this(redisUri, nodeCount, RedisRoomLog::connect);
    }

    /** @param connect how each node connects to redisUri */
    Cluster(String redisUri, int nodeCount, Function<String, RedisRoomLog> connect) {
        this.redisUri = redisUri;
        for (int i = 0; i < nodeCount; i++) {
            RedisRoomLog log = connect.apply(redisUri);
            logs.add(log);
            nodes.add(Rooms.on(log, "node" + i + "-" + Rooms.randomNodeId()));
        }
    }

    Rooms node(int index) {
        return nodes.get(index);
    }

    /** Joins a member on a node and waits for it to be in. */
    Transcript join(int node, String room, String member, RoomOffset since) throws Exception {
        Transcript transcript = new Transcript();
        nodes.get(node).join(room, member, since, transcript).get(10, TimeUnit.SECONDS);
        starts.put(transcript, since);
        names.put(transcript, member);
        return transcript;
    }

    /** A node dies without a word: its link to Redis goes, so it neither beats nor leaves. */
    void kill(int node) {
        logs.get(node).close();
    }

    /** @return the room's whole log as Redis holds it now */
    List<RoomEvent> log(String room) throws Exception {
        try (RedisRoomLog reader = RedisRoomLog.connect(redisUri)) {
            List<RoomEvent> all = new ArrayList<>();
            String epoch = null;
            while (true) {
                RoomLog.Page page = reader.read(room, all.isEmpty() ? 0 : all.get(all.size() - 1).offset().sequence(),
                        500).get(10, TimeUnit.SECONDS);
                if (epoch != null && !epoch.equals(page.epoch())) {
                    throw new AssertionError("the epoch changed while the log was read");
                }
                epoch = page.epoch();
                all.addAll(page.events());
                if (page.events().isEmpty()) {
                    return all;
                }
            }
        }
    }

    /**
     * Waits until each member still present has received the whole log, then checks that every member's events of
     * the log's epoch are the log's, in its order, without gaps or repeats.
     */
    List<RoomEvent> assertTranscriptsAreTheLog(String room, List<Transcript> present) throws Exception {
        List<RoomEvent> log = log(room);
        RoomOffset head = log.get(log.size() - 1).offset();
        for (Transcript transcript : present) {
            transcript.awaitOffset(head, SETTLE);
        }
        log = log(room);
        Map<Long, RoomEvent> bySequence = new HashMap<>();
        log.forEach(event -> bySequence.put(event.offset().sequence(), event));
        for (Map.Entry<Transcript, RoomOffset> entry : starts.entrySet()) {
            Transcript transcript = entry.getKey();
            transcript.assertGapless(entry.getValue(), names.get(transcript));
            for (RoomEvent event : transcript.events()) {
                if (event.offset().epoch().equals(head.epoch())) {
                    assertEquals(bySequence.get(event.offset().sequence()), event, names.get(transcript));
                }
            }
        }
        return log;
    }

    /** Checks that each acknowledged message is in the log at its offset, and that no message id is there twice. */
    static void assertAcknowledgedAreLogged(Map<String, RoomOffset> acknowledged, List<RoomEvent> log) {
        Map<String, RoomOffset> logged = new HashMap<>();
        for (RoomEvent event : log) {
            if (event.kind() == RoomEvent.Kind.MESSAGE) {
                RoomOffset earlier = logged.put(event.messageId(), event.offset());
                assertEquals(null, earlier, "message " + event.messageId() + " appended twice");
            }
        }
        assertTrue(!acknowledged.isEmpty(), "nothing was acknowledged");
        acknowledged.forEach((id, offset) -> assertEquals(offset, logged.get(id), "acknowledged message " + id));
    }

    @Override
    public void close() {
        nodes.forEach(Rooms::close);
    }
}
