package io.sockwave.runtime;

/**
 * Things a loop keeps for reuse, one kind and size to a list, that remembers how many went unused since the last
 * {@link #trim}: that many were never needed all along, and a trim lets them go. A loop whose traffic once needed
 * many keeps them while its traffic needs them, and returns them to the collector once it no longer does. Confined
 * to the loop's thread.
 *
 * @param <T> what is kept
 */
final class FreeList<T> {
    private final Object[] items;
    private int count;
    /** The fewest items kept at any moment since the last trim. */
    private int fewest;

    /** @param capacity the most items kept; more given back are not */
    FreeList(int capacity) {
        items = new Object[capacity];
    }

    /** @return an item kept here, or null when there is none */
    @SuppressWarnings("unchecked")
    T poll() {
        if (count == 0) {
            return null;
        }
        T item = (T) items[--count];
        items[count] = null;
        if (count < fewest) {
            fewest = count;
        }
        return item;
    }

    /** @return whether the item is kept: false when the list is full */
    boolean offer(T item) {
        if (count == items.length) {
            return false;
        }
        items[count++] = item;
        return true;
    }

    /** @return how many items are kept */
    int size() {
        return count;
    }

    /**
     * Lets go of as many items as were never taken since the last trim, and starts counting anew.
     *
     * @return how many it let go
     */
    int trim() {
        int unused = fewest;
        for (int i = 0; i < unused; i++) {
            items[--count] = null;
        }
        fewest = count;
        return unused;
    }
}
