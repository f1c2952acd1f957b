package io.sockwave.runtime;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Accepts connections on the listening socket, on the first loop, and hands each to a loop round-robin.
 *
 * <p>When an accept fails (typically out of file descriptors), the connection stays in the kernel's backlog and the
 * socket stays ready, so trying again at once would spin. Accepting pauses for {@link #PAUSE_NANOS} instead, as Netty
 * and Tomcat do, and resumes by itself; the failures are logged through a {@link ThrottledLog}, with their count, so
 * that a long shortage costs neither CPU nor disk.
 */
final class Acceptor extends TimerNode implements IoHandler {
    /** Accepts per wake-up, so that a flood of connections cannot starve the loop's own connections. */
    private static final int ACCEPTS_PER_TURN = 64;
    /** How long accepting pauses after a failed accept. */
    static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ServerSocketChannel listening;
    private final ServerEngine server;
    private final EventLoop loop;
    private SelectionKey key;
    private final ThrottledLog failureLog = new ThrottledLog();
    /** Failed accepts since the last successful one. */
    private long failures;

    Acceptor(ServerSocketChannel listening, ServerEngine server, EventLoop loop) {
        this.listening = listening;
        this.server = server;
        this.loop = loop;
    }

    @Override
    public void onReady(SelectionKey selected) {
        this.key = selected;
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel channel;
            try {
                channel = listening.accept();
            } catch (IOException | RuntimeException | Error e) {
                // An Error too (say, out of memory for the channel's object): the listening socket must outlive it.
                pause(e);
                return;
            }
            if (channel == null) {
                return;
            }
            if (failures > 0) {
                LoopLog.log(Level.INFO, "accepting connections again after " + failures + " failed accepts", null);
                failures = 0;
            }
            handOver(channel);
        }
    }

    private void handOver(SocketChannel channel) {
        try {
            server.adopt(channel);
        } catch (RuntimeException | Error e) {
            LoopLog.log(Level.WARNING, "cannot hand over an accepted connection; closing it", e);
            try {
                channel.close();
            } catch (IOException ignored) {
                // It is being dropped anyway.
            }
        }
    }

    private void pause(Throwable cause) {
        failures++;
        failureLog.warn("accept failed (" + cause + "); pausing accepts for "
                + TimeUnit.NANOSECONDS.toMillis(PAUSE_NANOS) + " ms at a time until one succeeds", null);
        if (key.isValid()) {
            key.interestOps(0);
            loop.timers.schedule(this, loop.now() + PAUSE_NANOS);
        }
    }

    @Override
    void onTimer(long now) {
        if (key.isValid()) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    @Override
    public void abort(String reason) {
        close();
    }

    /** Closes the listening socket; on the loop's thread. */
    void close() {
        loop.timers.cancel(this);
        closeSocket();
    }

    /** Closes the listening socket only, which any thread may do: the server closes it once its loops stopped. */
    void closeSocket() {
        try {
            listening.close();
        } catch (IOException e) {
            LoopLog.log(Level.DEBUG, "closing the listening socket failed", e);
        }
    }
}
