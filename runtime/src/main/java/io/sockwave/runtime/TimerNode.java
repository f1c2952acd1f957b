package io.sockwave.runtime;

/**
 * Something with one deadline in a loop's {@link Timers}. The node is its own heap entry, so scheduling and
 * cancelling allocate nothing; a connection keeps one node for all its deadlines and, when it fires, works out which
 * of them expired and when to wake next.
 */
abstract class TimerNode {
    long deadline;
    int heapIndex = -1;

    /**
     * @param now the loop's clock
     * @param deadline a deadline, or {@link Long#MAX_VALUE} for none
     * @return whether the deadline is set and not after {@code now}; compared as a difference, as
     *     {@link System#nanoTime()} values must be
     */
    static boolean reached(long now, long deadline) {
        return deadline != Long.MAX_VALUE && now - deadline >= 0;
    }

    /** @return whether the node is scheduled */
    final boolean isScheduled() {
        return heapIndex >= 0;
    }

    /**
     * The deadline passed; the node is no longer scheduled.
     *
     * @param now the loop's clock, in {@link System#nanoTime()} units
     */
    abstract void onTimer(long now);
}
