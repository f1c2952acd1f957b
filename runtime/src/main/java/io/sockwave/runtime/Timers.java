package io.sockwave.runtime;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The deadlines of one event loop: a binary min-heap of {@link TimerNode}s that know their own index, so that
 * rescheduling and cancelling are O(log n) without searching and without allocation, and the loop can sleep exactly
 * until the next deadline. Confined to the loop's thread.
 */
final class Timers {
    /** The heap's first and smallest capacity. */
    private static final int MIN_CAPACITY = 64;

    private TimerNode[] heap = new TimerNode[MIN_CAPACITY];
    private int size;

    /** @return the length of the heap's array, for tests of its shrinking */
    int capacity() {
        return heap.length;
    }

    /** @return how many nodes are scheduled */
    int size() {
        return size;
    }

    /** @return the earliest deadline, or {@link Long#MAX_VALUE} when nothing is scheduled */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /**
     * Schedules a node, or moves it if it is scheduled already.
     *
     * @param node the node
     * @param deadline when it should fire, in {@link System#nanoTime()} units
     */
    void schedule(TimerNode node, long deadline) {
        if (node.isScheduled()) {
            long old = node.deadline;
            node.deadline = deadline;
            if (deadline - old < 0) {
                siftUp(node.heapIndex);
            } else {
                siftDown(node.heapIndex);
            }
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        node.deadline = deadline;
        node.heapIndex = size;
        heap[size++] = node;
        siftUp(node.heapIndex);
    }

    /** @param node a node, scheduled or not */
    void cancel(TimerNode node) {
        int i = node.heapIndex;
        if (i < 0) {
            return;
        }
        node.heapIndex = -1;
        TimerNode last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
        if (size < heap.length >>> 2 && heap.length > MIN_CAPACITY) {
            // A peak (a burst of handshakes, each with its timeout) does not keep its array once it is over. Halved
            // at a quarter full, doubled when full: between the two lie as many schedules as cancels, so a count
            // that goes up and down by a few never copies the array back and forth.
            heap = Arrays.copyOf(heap, heap.length >>> 1);
        }
    }

    /**
     * Fires, earliest first, every node whose deadline is not after {@code now}. A node may reschedule itself
     * from {@link TimerNode#onTimer}; one rescheduled at or before {@code now} fires again in this call.
     *
     * @param now the loop's clock
     * @param onFailure told of a node whose {@link TimerNode#onTimer} threw; the other nodes still fire
     */
    void runExpired(long now, BiConsumer<TimerNode, Throwable> onFailure) {
        while (size > 0 && heap[0].deadline - now <= 0) {
            TimerNode node = heap[0];
            cancel(node);
            try {
                node.onTimer(now);
            } catch (RuntimeException | Error e) {
                onFailure.accept(node, e);
            }
        }
    }

    private void siftUp(int i) {
        TimerNode node = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerNode p = heap[parent];
            if (p.deadline - node.deadline <= 0) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = node;
        node.heapIndex = i;
    }

    private void siftDown(int i) {
        TimerNode node = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadline - heap[child].deadline < 0) {
                child = right;
            }
            if (node.deadline - heap[child].deadline <= 0) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = node;
        node.heapIndex = i;
    }
}
