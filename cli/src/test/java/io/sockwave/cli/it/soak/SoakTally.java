package io.sockwave.cli.it.soak;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/** What the soak's clients count together: messages said, acknowledgements, refusals, resets and latencies. */
final class SoakTally {
    /** An acknowledgement: the message's room and the offset the server gave it. */
    record Ack(String room, String offset) {}

    final AtomicLong published = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong resets = new AtomicLong();
    /** The same id acknowledged with two different offsets. */
    final AtomicLong ackConflicts = new AtomicLong();
    final Map<String, Ack> acknowledged = new ConcurrentHashMap<>();
    /** Publish-to-delivery times in microseconds, from the first time the message was sent. */
    final ConcurrentHistogram latency = new ConcurrentHistogram(3);

    void acknowledged(String id, String room, String offset) {
        Ack earlier = acknowledged.putIfAbsent(id, new Ack(room, offset));
        if (earlier != null && !earlier.offset().equals(offset)) {
            ackConflicts.incrementAndGet();
        }
    }

    void delivered(long nanos) {
        latency.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }
}
