package io.sockwave.protocol;

/**
 * Where a {@link Connection} gets the arrays it assembles incoming messages in (and stages outgoing text bound for a
 * direct frame in), and gives back those it is done with. The default, {@link #HEAP}, allocates a new array each time and lets the garbage collector have the old.
 * A runtime may keep the arrays of one thread instead: a 16 KiB message then costs no allocation, no zeroing and no
 * fresh heap pages. A connection takes arrays for text (given back once the message is decoded) and, when
 * {@link ConnectionConfig#lendBinary()} is on, for binary messages, given back when
 * {@link EventHandler#onBinaryLent} says the handler is done with them. An array handed to the caller for keeping
 * (a binary message not lent, a streamed piece) is never a pooled one.
 *
 * <p>A pool is used by one thread at a time, the one that feeds the connections sharing it; it must not count on
 * getting every array back (a handler may keep a lent one).
 */
public interface ArrayPool {
    /** A new array per message, none kept. */
    ArrayPool HEAP = new ArrayPool() {
        @Override
        public byte[] take(int minLength) {
            return new byte[minLength];
        }

        @Override
        public void give(byte[] array) {
        }
    };

    /**
     * @param minLength the fewest bytes the array must hold
     * @return an array of at least that length, with any content
     */
    byte[] take(int minLength);

    /**
     * Takes back an array this pool gave out, or ignores it when it keeps enough already.
     *
     * @param array the array; its owner keeps no reference to it from now on
     */
    void give(byte[] array);
}
