package io.sockwave.runtime;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Accepts connections on the listening socket, on the first loop, and hands each to a loop round-robin. */
final class Acceptor implements IoHandler {
    /** Accepts per wake-up, so that a flood of connections cannot starve the loop's own connections. */
    private static final int ACCEPTS_PER_TURN = 64;

    private final ServerSocketChannel listening;
    private final ServerEngine server;

    Acceptor(ServerSocketChannel listening, ServerEngine server) {
        this.listening = listening;
        this.server = server;
    }

    @Override
    public void onReady(SelectionKey key) {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel channel;
            try {
                channel = listening.accept();
            } catch (IOException e) {
                // Typically out of file descriptors: the pending connection stays in the backlog for a later turn.
                EventLoop.LOG.log(Level.WARNING, "accept failed: " + e);
                return;
            }
            if (channel == null) {
                return;
            }
            server.adopt(channel);
        }
    }

    @Override
    public void abort(String reason) {
        close();
    }

    void close() {
        try {
            listening.close();
        } catch (IOException e) {
            EventLoop.LOG.log(Level.DEBUG, "closing the listening socket failed", e);
        }
    }
}
