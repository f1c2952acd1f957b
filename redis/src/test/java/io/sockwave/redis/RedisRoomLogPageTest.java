package io.sockwave.redis;

import io.sockwave.room.RoomLog;
import io.sockwave.testsupport.RedisPerClass;
import io.sockwave.testsupport.RedisServer;
import io.sockwave.testsupport.RoomLogPageContract;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract of a read's page, {@link RoomLogPageContract}, that the in-memory log honours too. */
class RedisRoomLogPageTest extends RoomLogPageContract {
    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass(RedisServer.Persistence.NONE);

    @Override
    protected PagedLog open() {
        RedisRoomLog log = RedisRoomLog.connect(REDIS.server().uri());
        log.start("pages", NoSignals.INSTANCE);
        return new PagedLog() {
            @Override
            public void join(String room, String member) throws Exception {
                log.join(room, member).get(10, TimeUnit.SECONDS);
            }

            @Override
            public void append(String room, String member, String messageId, String text) throws Exception {
                log.append(room, member, messageId, text).get(10, TimeUnit.SECONDS);
            }

            @Override
            public List<Long> read(String room, long after, int limit) throws Exception {
                return log.read(room, after, limit).get(10, TimeUnit.SECONDS).events().stream()
                        .map(event -> event.offset().sequence()).toList();
            }

            @Override
            public void close() {
                log.close();
            }
        };
    }

    @Override
    protected int pageBytes() {
        return RoomLog.PAGE_BYTES;
    }
}
