package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A pool's free list keeps what traffic takes again and lets go of what stayed unused from one trim to the next. */
class FreeListTest {
    @Test
    void whatIsTakenBackAndForthBetweenTrimsIsKept() {
        FreeList<Object> list = filled(3);
        for (int period = 0; period < 3; period++) {
            Object item = list.poll();
            Object other = list.poll();
            Object third = list.poll();
            list.offer(third);
            list.offer(other);
            list.offer(item);
            assertEquals(0, list.trim(), "all three were in use at once in period " + period);
            assertEquals(3, list.size());
        }
    }

    @Test
    void aTrimLetsGoOfAsManyAsNeverLeftTheListSinceTheLastOne() {
        FreeList<Object> list = filled(5);
        list.trim(); // the period the list was filled in
        Object taken = list.poll();
        list.poll();
        list.offer(taken);
        assertEquals(3, list.trim(), "at most two of five were out at once");
        assertEquals(1, list.size());
        assertEquals(1, list.trim(), "the one left went unused the next period");
        assertNull(list.poll());
        assertEquals(0, list.trim());
    }

    @Test
    void itemsAreHandedOutLastInFirstOutAndBoundedByTheCapacity() {
        FreeList<Object> list = new FreeList<>(2);
        Object a = new Object();
        Object b = new Object();
        list.offer(a);
        list.offer(b);
        assertFalse(list.offer(new Object()), "full");
        assertSame(b, list.poll());
        assertSame(a, list.poll());
        assertNull(list.poll());
    }

    private static FreeList<Object> filled(int count) {
        FreeList<Object> list = new FreeList<>(count);
        for (int i = 0; i < count; i++) {
            list.offer(new Object());
        }
        return list;
    }
}
