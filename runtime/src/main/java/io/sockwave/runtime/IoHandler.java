package io.sockwave.runtime;

import java.nio.channels.SelectionKey;

/** What a selection key is attached to: the acceptor or a connection. */
interface IoHandler {
    /**
     * The key's channel is ready for some of its interest operations.
     *
     * @param key the selected key
     */
    void onReady(SelectionKey key);

    /**
     * The loop is stopping: release everything now.
     *
     * @param reason why
     */
    void abort(String reason);
}
