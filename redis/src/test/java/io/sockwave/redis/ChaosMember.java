package io.sockwave.redis;

import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomListener;
import io.sockwave.room.RoomOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One member of a room as its client sees it across the nodes it joins one after the other: everything it received,
 * in order, as one history. Like a client whose connection dropped, it hears nothing from a session it left: only the
 * current session's calls are kept, and each new session resumes after the last offset the member had.
 */
final class ChaosMember {
    /** A session began: the member joined (again), resuming after {@code since}, or fresh if it is null. */
    record Start(RoomOffset since, int node) {
    }

    /** A reset as the member saw it. */
    record Reset(String reason, RoomOffset resumesAfter) {
    }

    final String room;
    final String name;
    /** Guarded by this: the entries ({@link Start}, {@link RoomEvent}, {@link Reset}) in the order they came. */
    private final List<Object> history = new ArrayList<>();
    private Session current;
    private RoomOffset position;

    ChaosMember(String room, String name) {
        this.room = room;
        this.name = name;
    }

    /** A session on one node: its calls count only while it is the member's current one. */
    final class Session implements RoomListener {
        final int node;
        private final RoomOffset since;
        private volatile Membership membership;
        private volatile Runnable onClosed = () -> { };

        private Session(int node, RoomOffset since) {
            this.node = node;
            this.since = since;
        }

        Membership membership() {
            return membership;
        }

        /** @return the offset this session resumes after, or null for a fresh join */
        RoomOffset since() {
            return since;
        }

        /** @param action what follows a close by the rooms (the member then joins elsewhere) */
        void onClosedRun(Runnable action) {
            onClosed = action;
        }

        @Override
        public void onJoined(Membership joined) {
            synchronized (ChaosMember.this) {
                if (current == this) {
                    membership = joined;
                    history.add(new Start(since, node));
                }
            }
        }

        @Override
        public void onEvent(RoomEvent event) {
            synchronized (ChaosMember.this) {
                if (current == this) {
                    history.add(event);
                    position = event.offset();
                }
            }
        }

        @Override
        public void onReset(String reason, RoomOffset resumesAfter) {
            synchronized (ChaosMember.this) {
                if (current == this) {
                    history.add(new Reset(reason, resumesAfter));
                    position = resumesAfter;
                }
            }
        }

        @Override
        public void onClosed(String reason) {
            boolean mine;
            synchronized (ChaosMember.this) {
                mine = current == this;
                if (mine) {
                    current = null;
                }
            }
            if (mine) {
                onClosed.run();
            }
        }
    }

    /** Opens a session on a node, resuming after the last offset the member had; the one before is let go. */
    synchronized Session open(int node) {
        current = new Session(node, position);
        return current;
    }

    /**
     * The member's connection drops: nothing more of its current session is kept.
     *
     * @param node only if the session is on this node; -1 for any
     * @return the session dropped, or null
     */
    synchronized Session drop(int node) {
        Session was = current;
        if (was == null || (node >= 0 && was.node != node)) {
            return null;
        }
        current = null;
        return was;
    }

    /** A session whose join failed: it is no longer the member's. @return whether it was the current one */
    synchronized boolean abandon(Session session) {
        if (current != session) {
            return false;
        }
        current = null;
        return true;
    }

    /** @return the current session if its join completed, or null */
    synchronized Session joined() {
        return current != null && current.membership != null ? current : null;
    }

    synchronized RoomOffset position() {
        return position;
    }

    synchronized List<Object> history() {
        return List.copyOf(history);
    }
}
