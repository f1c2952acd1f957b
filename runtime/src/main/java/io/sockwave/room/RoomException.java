package io.sockwave.room;

/** Why a join or a publish was refused. The message says so to a person; {@link #reason()} to a program. */
public final class RoomException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of refusal. */
    public enum Reason {
        /** Another member of the room, on any node, already has the name. */
        NAME_TAKEN,
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

    /**
     * @param reason the kind of refusal
     * @param message what a person reads
     */
    public RoomException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * @param reason the kind of refusal
     * @param message what a person reads
     * @param cause the store's failure
     */
    public RoomException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return the kind of refusal */
    public Reason reason() {
        return reason;
    }
}
