package io.sockwave.room;

import java.time.Duration;
import java.util.Optional;

/** Why a join or a publish was refused. The message says so to a person; {@link #reason()} to a program. */
public final class RoomException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of refusal. */
    public enum Reason {
        /**
         * Another member of the room, on any node, already has the name. With a {@link #retryAfter()}, the name is
         * held on another node, which may have stopped: it is free by then if so.
         */
        NAME_TAKEN,
        /**
         * The member's name is in as many rooms as {@link RoomLimits#maxRoomsPerName()} allows: on this node, or on
         * all the nodes together when the log counts them across the nodes.
         */
        TOO_MANY_ROOMS,
        /**
         * The log could not be reached within the retry window, or refused the call (Redis out of memory, or refusing
         * writes). A message refused so is not acknowledged; it may or may not have been appended, so a sender
         * retries with the same message id, which is appended at most once.
         */
        UNAVAILABLE,
        /** The node already holds its bound of bytes waiting to be appended; retrying later may succeed. */
        OVERLOADED,
        /** The membership has ended. */
        NOT_A_MEMBER
    }

    /** The kind of refusal, kept with the exception so that a deserialized one still tells a program why. */
    private final Reason reason;
    /** When the call may succeed if tried again, or null if nothing says it will. */
    private final Duration retryAfter;

    /**
     * @param reason the kind of refusal
     * @param message what a person reads
     */
    public RoomException(Reason reason, String message) {
        this(reason, message, (Duration) null);
    }

    /**
     * @param reason the kind of refusal
     * @param message what a person reads
     * @param retryAfter how long after which the call may succeed, or null if nothing says it will
     */
    public RoomException(Reason reason, String message, Duration retryAfter) {
        super(message);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    /**
     * @param reason the kind of refusal
     * @param message what a person reads
     * @param cause the store's failure
     */
    public RoomException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryAfter = null;
    }

    /** @return the kind of refusal */
    public Reason reason() {
        return reason;
    }

    /**
     * @return how long after which the same call may succeed: for {@code NAME_TAKEN}, when the name is free if the
     *     node holding it has stopped (its lease runs out and another node writes its members' leaves); empty if
     *     nothing says a retry will succeed
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
