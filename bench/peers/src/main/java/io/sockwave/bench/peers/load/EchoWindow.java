package io.sockwave.bench.peers.load;

/**
 * The bookkeeping of a closed-loop echo, confined to the generator's loop: every connection keeps {@code window}
 * messages in flight, owing one more send for each echo until the load stops, so that the server is never idle and
 * never flooded. A scenario sends what {@link #take} says a connection owes, once per read batch.
 */
final class EchoWindow {
    private final int window;
    private int[] owed;
    private long inFlight;
    private long echoes;

    /** @param window messages in flight per connection */
    EchoWindow(int window) {
        this.window = window;
    }

    /** @param connections how many connections there will be, their ids counting from 0 */
    void start(int connections) {
        owed = new int[connections];
    }

    /** @param c a connection about to send its first window */
    void open(WsConnection c) {
        owed[c.id] = window;
    }

    /**
     * @param c the connection an echo came back on
     * @param stopping whether the load is stopping, when the echo is owed nothing in return
     */
    void echoed(WsConnection c, boolean stopping) {
        echoes++;
        inFlight--;
        if (!stopping) {
            owed[c.id]++;
        }
    }

    /**
     * @param c a connection at the end of a read batch
     * @return how many messages it is to send now, counted in flight from here on
     */
    int take(WsConnection c) {
        int k = owed[c.id];
        owed[c.id] = 0;
        inFlight += k;
        return k;
    }

    /** @return echoes received so far */
    long echoes() {
        return echoes;
    }

    /** @return whether nothing is in flight */
    boolean drained() {
        return inFlight == 0;
    }
}
