package io.sockwave.room;

import io.sockwave.testsupport.RoomLogPageContract;
import java.util.List;

/**
 * The in-memory log ended a page at its count alone, where the Redis log ends it once its events reach
 * {@link RoomLog#PAGE_BYTES} (since its library's version 6): a member far behind took pages of 500 of the largest
 * events at once. Both now honour the same contract, {@link RoomLogPageContract}, run here and in sockwave-redis.
 */
class InMemoryRoomLogPageTest extends RoomLogPageContract {
    private static final RoomLog.Signals IGNORED = new RoomLog.Signals() {
        @Override
        public void appended(String room, long sequence) {
        }

        @Override
        public void reconnected() {
        }
    };

    @Override
    protected PagedLog open() {
        RoomLog log = RoomLog.inMemory();
        log.start("pages", IGNORED);
        return new PagedLog() {
            @Override
            public void join(String room, String member) throws Exception {
                log.join(room, member).get();
            }

            @Override
            public void append(String room, String member, String messageId, String text) throws Exception {
                log.append(room, member, messageId, text).get();
            }

            @Override
            public List<Long> read(String room, long after, int limit) throws Exception {
                return log.read(room, after, limit).get().events().stream()
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
