package io.sockwave.cli.bench;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Counts a run's errors by kind from any thread, and keeps the first one's description to show the user. */
final class ErrorTally {
    private final LongAdder mismatches = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder unanswered = new LongAdder();
    private final AtomicReference<String> first = new AtomicReference<>();

    /** An echo whose length or content differs from what was sent. */
    void mismatch(String description) {
        mismatches.increment();
        remember(description);
    }

    /** A connection that could not be opened. */
    void connectFailure(String description) {
        connectFailures.increment();
        remember(description);
    }

    /** A connection that closed or failed before the run ended. */
    void dropped(String description) {
        dropped.increment();
        remember(description);
    }

    /** Messages still awaiting their echo when the run gave up on them. */
    void unanswered(long count, String description) {
        if (count > 0) {
            unanswered.add(count);
            remember(description);
        }
    }

    /** @return the total so far, for the progress line */
    long total() {
        return mismatches.sum() + connectFailures.sum() + dropped.sum() + unanswered.sum();
    }

    /** @return the counts so far */
    Errors snapshot() {
        return new Errors(mismatches.sum(), connectFailures.sum(), dropped.sum(), unanswered.sum(), first.get());
    }

    private void remember(String description) {
        first.compareAndSet(null, description);
    }
}
