package io.sockwave.room;

/**
 * What one member name may cost a node's {@link Rooms}: its length, which every event of the member carries to every
 * member and into the log, and the rooms it may be in at once, each of which holds a membership, a subscription and
 * a watch of the room's log. The rooms are counted on the node, and across the nodes by a log shared by them that
 * knows the rooms of a name ({@link RoomLog#join(String, String, int)}; sockwave-redis does).
 *
 * @param maxNameLength the longest member name, in characters (code points); at least 1
 * @param maxRoomsPerName the most rooms one member name may be in at once, on the node and, with a log that counts
 *     them across the nodes, on all of them together; at least 1
 */
public record RoomLimits(int maxNameLength, int maxRoomsPerName) {
    /** The limits of {@link Rooms#on(RoomLog, String)} and {@link Rooms#inProcess()}: 128 characters, 64 rooms. */
    public static final RoomLimits DEFAULT = new RoomLimits(128, 64);

    /**
     * Checks the limits.
     *
     * @param maxNameLength the longest member name, in characters (code points); at least 1
     * @param maxRoomsPerName the most rooms one member name may be in at once, as above; at least 1
     * @throws IllegalArgumentException if either is below 1
     */
    public RoomLimits {
        if (maxNameLength < 1) {
            throw new IllegalArgumentException("maxNameLength must be at least 1, was " + maxNameLength);
        }
        if (maxRoomsPerName < 1) {
            throw new IllegalArgumentException("maxRoomsPerName must be at least 1, was " + maxRoomsPerName);
        }
    }
}
