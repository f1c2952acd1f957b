package io.sockwave.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a read of a room log returns, the same from every log: up to the count asked for, and fewer once the bytes of
 * its events (the UTF-8 of their members, texts and message ids) reach the page's bytes, the page then ending with
 * the event that reaches them (the contract of {@code RoomLog.read} and {@code RoomLog.PAGE_BYTES}). A log's test
 * class extends this and opens its log; the contract is written against this small view of it, as test-support
 * cannot see the runtime's types.
 */
public abstract class RoomLogPageContract {
    /** A log under test, started, as this contract drives it. */
    protected interface PagedLog extends AutoCloseable {
        /** Joins a member to a room, and waits for it. */
        void join(String room, String member) throws Exception;

        /** Appends a message, and waits for it. */
        void append(String room, String member, String messageId, String text) throws Exception;

        /** @return the sequence numbers of the events a read of up to {@code limit} events after {@code after} returns */
        List<Long> read(String room, long after, int limit) throws Exception;
    }

    /** @return a new log, started, that the test closes */
    protected abstract PagedLog open() throws Exception;

    /** @return the bytes past which a read may end its page: {@code RoomLog.PAGE_BYTES} */
    protected abstract int pageBytes();

    @Test
    void aPageEndsWithTheEventThatReachesThePageBytes() throws Exception {
        String half = "x".repeat(pageBytes() / 2);
        try (PagedLog log = open()) {
            log.join("large", "w");
            for (int i = 0; i < 6; i++) {
                log.append("large", "w", "", half);
            }
            // the join's member is 1 byte, the first message 1 + half, the second reaches the bytes
            assertEquals(List.of(1L, 2L, 3L), log.read("large", 0, 500));
            assertEquals(List.of(4L, 5L), log.read("large", 3, 500), "the next page goes on right after");
            assertEquals(List.of(6L, 7L), log.read("large", 5, 500), "the last page ends at the head");
            assertEquals(List.of(1L, 2L), log.read("large", 0, 2), "the count still bounds a page");
        }
    }

    /**
     * The bytes are those of the UTF-8 of the member, the text and the message id: a text of two-byte characters
     * counts twice its length, and the id counts too. Here the join (1 byte) and a message of "w", "m1" and a text of
     * {@code pageBytes - 4} bytes reach the page's bytes exactly; a log that counted characters, or left the id out,
     * would go on to the third event.
     */
    @Test
    void theBytesAreTheUtf8OfTheMemberTheTextAndTheMessageId() throws Exception {
        try (PagedLog log = open()) {
            log.join("utf8", "w");
            log.append("utf8", "w", "m1", "\u00e9".repeat((pageBytes() - 4) / 2));
            log.append("utf8", "w", "m2", "small");
            assertEquals(List.of(1L, 2L), log.read("utf8", 0, 500));
            assertEquals(List.of(3L), log.read("utf8", 2, 500));
        }
    }

    @Test
    void aPageOfSmallEventsEndsAtItsCountOrAtTheHead() throws Exception {
        try (PagedLog log = open()) {
            log.join("small", "w");
            for (int i = 0; i < 9; i++) {
                log.append("small", "w", "id-" + i, "message " + i);
            }
            assertEquals(List.of(1L, 2L, 3L, 4L), log.read("small", 0, 4));
            assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), log.read("small", 4, 500));
            assertEquals(List.of(), log.read("small", 10, 500), "nothing newer: an empty page");
        }
    }
}
