package io.sockwave.testsupport;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** For leak tests: whether what a test let go of is collected. */
public final class Reachability {
    private Reachability() {
    }

    /**
     * Collects garbage until every reference is cleared or the bound passes.
     *
     * @param references weak references to what should be collectable
     * @param bound how long to keep collecting
     * @return how many referents are still reachable
     */
    public static long stillReachable(Collection<? extends Reference<?>> references, Duration bound)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        long left = count(references);
        while (left > 0 && System.nanoTime() - deadline < 0) {
            System.gc();
            Thread.sleep(20);
            left = count(references);
        }
        return left;
    }

    /**
     * @param reference a weak reference to what should be collectable
     * @param bound how long to keep collecting
     * @return whether it was collected within the bound
     */
    public static boolean collected(Reference<?> reference, Duration bound) throws InterruptedException {
        return stillReachable(List.of(reference), bound) == 0;
    }

    private static long count(Collection<? extends Reference<?>> references) {
        return references.stream().filter(r -> r.get() != null).count();
    }
}
