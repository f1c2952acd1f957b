package io.sockwave.redis;

import io.sockwave.room.Membership;
import io.sockwave.room.RoomOffset;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady stream of publishes from some members, one every few milliseconds each, bounded in time: records which
 * message ids were acknowledged at which offset, and how many were refused.
 */
final class Flood implements AutoCloseable {
    private final Map<String, RoomOffset> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopped;

    private Flood(List<Membership> senders, Duration interval, Duration longest) {
        thread = new Thread(() -> {
            long end = System.nanoTime() + longest.toNanos();
            for (int i = 0; !stopped && System.nanoTime() < end; i++) {
                for (Membership sender : senders) {
                    String id = sender.member() + "-" + i;
                    outstanding.incrementAndGet();
                    sender.publish(id, "message " + i + " from " + sender.member()).whenComplete((offset, error) -> {
                        if (error == null) {
                            acknowledged.put(id, offset);
                        } else {
                            refused.incrementAndGet();
                        }
                        outstanding.decrementAndGet();
                    });
                }
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "flood");
        thread.setDaemon(true);
    }

    static Flood start(List<Membership> senders, Duration interval, Duration longest) {
        Flood flood = new Flood(senders, interval, longest);
        flood.thread.start();
        return flood;
    }

    /**
     * Waits until the flood has run its time, then until every publish was acknowledged or refused.
     *
     * @param timeout how long to wait for the answers after the flood's end
     */
    void finish(Duration timeout) throws InterruptedException {
        thread.join();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        if (outstanding.get() > 0) {
            throw new AssertionError(outstanding.get() + " publishes neither acknowledged nor refused in " + timeout);
        }
    }

    Map<String, RoomOffset> acknowledged() {
        return acknowledged;
    }

    int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
