package io.sockwave.redis;

import io.sockwave.SessionSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Acknowledge only what replicas have: with it, {@link RedisRoomLog} answers a call (a publish, a join, a leave, a
 * read whose events go to members, a heartbeat whose count a node keeps) only once Redis's {@code WAIT} confirms that
 * at least {@code replicas} replicas have everything the primary had executed when the call returned. A failover to
 * one of those replicas then loses no acknowledged message, and no member has received an event that the new primary
 * lacks. A confirmation that does not come within {@code timeout} fails the call: a publish or a join is refused with
 * a {@link io.sockwave.room.RoomException} ({@code UNAVAILABLE}) saying so, though it may be in the log (the same
 * retry by message id applies), and a read delivers nothing until a later one is confirmed.
 *
 * <p>What it costs and what it does not give: every call waits a round trip to the replicas more (one {@code WAIT}
 * confirms every call that returned before it); while fewer than {@code replicas} replicas are connected, every
 * publish and join is refused and members receive nothing new. {@code WAIT} does not make Redis strongly consistent:
 * replicas hold what they acknowledged in memory, and Sentinel may promote a replica that lacks a write acknowledged
 * by fewer than all replicas (it promotes the one with the most data among those of the best
 * {@code replica-priority} it can reach). With {@code replicas} equal to the number of replicas, any promoted replica
 * has every acknowledged message, but one replica down refuses every publish; {@code 1} survives the crash of the
 * primary when every replica has the same {@code replica-priority} and Sentinel reaches them.
 *
 * @param replicas how many replicas must have a call's writes before it is acknowledged; at least 1
 * @param timeout how long a call waits for them before it fails; at least a millisecond, and one longer than
 *     {@link SessionSettings#LONGEST} (100 years) counts as that
 */
public record ReplicaWait(int replicas, Duration timeout) {
    /** The timeout of {@link #of(int)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    /**
     * @param replicas how many replicas must have a call's writes before it is acknowledged; at least 1
     * @param timeout how long a call waits for them before it fails; at least a millisecond, and one longer than
     *     {@link SessionSettings#LONGEST} counts as that
     * @throws IllegalArgumentException if fewer than one replica or a timeout shorter than a millisecond (Redis takes
     *     a {@code WAIT} timeout of 0 for no timeout at all)
     */
    public ReplicaWait {
        if (replicas < 1) {
            throw new IllegalArgumentException("at least one replica: " + replicas);
        }
        if (Objects.requireNonNull(timeout, "timeout").compareTo(SessionSettings.LONGEST) > 0) {
            timeout = SessionSettings.LONGEST;
        }
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("a timeout of at least a millisecond: " + timeout);
        }
    }

    /**
     * @param replicas how many replicas must have a call's writes; at least 1
     * @return a wait for that many replicas with {@link #DEFAULT_TIMEOUT}
     */
    public static ReplicaWait of(int replicas) {
        return new ReplicaWait(replicas, DEFAULT_TIMEOUT);
    }
}
