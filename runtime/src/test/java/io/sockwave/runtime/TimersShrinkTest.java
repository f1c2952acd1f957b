package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The timer heap's array after a peak: 50,000 handshakes, each with its timeout, then quiet. It goes back to its
 * first capacity once the deadlines fire or are cancelled, halving at a quarter full, and a count that moves by a few
 * around a boundary does not copy it back and forth; the deadlines still fire in order.
 */
class TimersShrinkTest {
    private static final int PEAK = 50_000;

    /** A node that records when it fired. */
    private static final class Node extends TimerNode {
        private final List<Long> fired;

        Node(List<Long> fired) {
            this.fired = fired;
        }

        @Override
        void onTimer(long now) {
            fired.add(deadline);
        }
    }

    @Test
    void thePeaksArrayIsLetGoOnceItsDeadlinesFire() {
        Timers timers = new Timers();
        List<Long> fired = new ArrayList<>();
        Random random = new Random(18);
        for (int i = 0; i < PEAK; i++) {
            timers.schedule(new Node(fired), random.nextInt(1_000_000));
        }
        assertEquals(65_536, timers.capacity(), "grown for the peak");
        timers.runExpired(1_000_000, (node, failure) -> {
            throw new AssertionError(failure);
        });
        assertEquals(PEAK, fired.size());
        for (int i = 1; i < fired.size(); i++) {
            assertTrue(fired.get(i - 1) <= fired.get(i), "fired in order at " + i);
        }
        assertEquals(0, timers.size());
        assertEquals(64, timers.capacity(), "back to its first capacity");
    }

    @Test
    void cancellingMostOfThePeakShrinksItAndTheRestStillFireInOrder() {
        Timers timers = new Timers();
        List<Long> fired = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < PEAK; i++) {
            Node node = new Node(fired);
            nodes.add(node);
            timers.schedule(node, PEAK - i);
        }
        for (int i = 0; i < PEAK; i++) {
            if (i % 1000 != 0) {
                timers.cancel(nodes.get(i));
            }
        }
        assertEquals(PEAK / 1000, timers.size());
        assertEquals(128, timers.capacity(), "a quarter full at most");
        timers.runExpired(PEAK, (node, failure) -> {
            throw new AssertionError(failure);
        });
        List<Long> expected = new ArrayList<>();
        for (int i = PEAK - 1000 * (PEAK / 1000 - 1); i <= PEAK; i += 1000) {
            expected.add((long) i);
        }
        assertEquals(expected, fired);
    }

    @Test
    void aCountMovingAroundABoundaryDoesNotResizeBackAndForth() {
        Timers timers = new Timers();
        List<Long> fired = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            Node node = new Node(fired);
            nodes.add(node);
            timers.schedule(node, i);
        }
        for (int i = 255; i >= 63; i--) {
            timers.cancel(nodes.get(i));
        }
        assertEquals(63, timers.size());
        assertEquals(128, timers.capacity(), "halved once below a quarter of 256");
        for (int round = 0; round < 1000; round++) {
            timers.schedule(nodes.get(63), round);
            assertEquals(128, timers.capacity(), "one schedule past the boundary");
            timers.cancel(nodes.get(63));
            assertEquals(128, timers.capacity(), "one cancel back below it");
        }
    }
}
