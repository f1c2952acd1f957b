/**
 * Rooms that span Sockwave nodes, on Redis: {@link io.sockwave.redis.RedisRoomLog} is the {@link
 * io.sockwave.room.RoomLog} that {@link io.sockwave.room.Rooms} nodes share.
 */
module io.sockwave.redis {
    requires transitive io.sockwave;
    requires lettuce.core;

    exports io.sockwave.redis;
}
