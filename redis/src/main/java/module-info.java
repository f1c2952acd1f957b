/**
 * Rooms that span Sockwave nodes, on Redis: {@link io.sockwave.redis.RedisRoomLog} is the {@link
 * io.sockwave.room.RoomLog} that {@link io.sockwave.room.Rooms} nodes share.
 * Lettuce is an automatic module (its jar names itself lettuce.core in its manifest), hence the suppression.
 */
@SuppressWarnings("requires-automatic")
module io.sockwave.redis {
    requires transitive io.sockwave;
    requires lettuce.core;

    exports io.sockwave.redis;
}
