package io.sockwave.cli.it.soak;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rooms' logs read straight from Redis, as sockwave-redis stores them (redis/README.md): each room's stream
 * {@code sw:{ROOM}:log} with entry ids {@code 0-SEQ} and fields k (kind), m (member), t (text) and id, and its epoch
 * in {@code sw:{ROOM}:epoch}. Read with XRANGE, not through the library under test.
 */
final class RoomLogs implements AutoCloseable {
    /** One entry of a room's stream. */
    record Entry(long sequence, String kind, String member, String id) {}

    /** A room's whole stream and its epoch. */
    record Log(String epoch, List<Entry> entries) {
        long head() {
            return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).sequence();
        }
    }

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    RoomLogs(String redisUri) {
        client = RedisClient.create(redisUri);
        connection = client.connect();
    }

    Log read(String room) {
        String epoch = connection.sync().get("sw:{" + room + "}:epoch");
        List<Entry> entries = new ArrayList<>();
        for (StreamMessage<String, String> message : connection.sync().xrange("sw:{" + room + "}:log",
                Range.unbounded())) {
            Map<String, String> body = message.getBody();
            String streamId = message.getId();
            entries.add(new Entry(Long.parseLong(streamId.substring(streamId.indexOf('-') + 1)), body.get("k"),
                    body.get("m"), body.getOrDefault("id", "")));
        }
        return new Log(epoch, entries);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
