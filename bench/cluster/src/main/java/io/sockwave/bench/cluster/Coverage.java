package io.sockwave.bench.cluster;

import java.util.List;

/**
 * What members lack of what they must have received, the measure of catching up after a fault. Called on the
 * fleet's event loop.
 */
final class Coverage {
    /**
     * @param membersAway members not in their room now
     * @param missing deliveries owed to members and not received
     */
    record Gap(int membersAway, long missing) {
        boolean closed() {
            return membersAway == 0 && missing == 0;
        }
    }

    private Coverage() {
    }

    /**
     * After a node was lost: each member must have every acknowledged, unrefused message of its room numbered from
     * {@code from[room]} up to the last one sent when it was let back in.
     *
     * @param members the members to check
     * @param from per room, the first message that counts
     * @param lostAt when the node was lost ({@link System#nanoTime()}): a member not let in since is away
     * @return what they lack
     */
    static Gap sinceRejoin(List<ChatClient> members, int[] from, long lostAt) {
        int away = 0;
        long missing = 0;
        for (ChatClient c : members) {
            if (!c.open || c.joinedNanos - lostAt < 0) {
                away++;
                continue;
            }
            Room room = c.room;
            for (int m = from[room.index]; m <= c.mustHaveThrough; m++) {
                if (room.acked.get(m) && !room.refused.get(m) && !c.received.get(m)) {
                    missing++;
                }
            }
        }
        return new Gap(away, missing);
    }

    /**
     * Each member must have every message of its room not refused (and acknowledged, if asked), from
     * {@code from[room]} through {@code through[room]}.
     *
     * @param members the members to check
     * @param from per room, the first message that counts
     * @param through per room, the last message that counts
     * @param ackedOnly whether only acknowledged messages count: after a node kill, what its members sent just
     *     before may never have reached the room
     * @return what they lack
     */
    static Gap between(List<ChatClient> members, int[] from, int[] through, boolean ackedOnly) {
        int away = 0;
        long missing = 0;
        for (ChatClient c : members) {
            if (!c.open) {
                away++;
                continue;
            }
            Room room = c.room;
            for (int m = from[room.index]; m <= through[room.index]; m++) {
                boolean owed = !room.refused.get(m) && (!ackedOnly || room.acked.get(m));
                if (owed && !c.received.get(m)) {
                    missing++;
                }
            }
        }
        return new Gap(away, missing);
    }

    /**
     * @param rooms the rooms
     * @return per room, the number the next message will get
     */
    static int[] nextMessages(List<Room> rooms) {
        int[] next = new int[rooms.size()];
        for (Room room : rooms) {
            next[room.index] = room.sent();
        }
        return next;
    }
}
