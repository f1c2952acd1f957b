package io.sockwave.runtime;

/**
 * A session's membership of one topic on its loop: the topic's members there, and the slot the session holds among
 * them, so that it leaves in constant time. A session's memberships are a list, as few as the topics it is in.
 * Confined to the loop's thread.
 */
final class Membership {
    final TopicShard shard;
    /** The session's slot in the shard's members; -1 until the shard places it. */
    int slot = -1;
    /** The session's other memberships; null after the last. */
    Membership next;

    /**
     * @param shard the topic's members on this loop
     * @param next the session's other memberships, or null
     */
    Membership(TopicShard shard, Membership next) {
        this.shard = shard;
        this.next = next;
    }
}
