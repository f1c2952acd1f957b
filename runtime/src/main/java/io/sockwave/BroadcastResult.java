package io.sockwave;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Server#broadcast broadcast} did: how many sessions queued the message, and which it skipped and why.
 * A session is skipped when its own send of the message would fail at once; a send that fails later (the session
 * closes before the frame is written, or the send timeout passes) is not known here. Immutable.
 *
 * @param queued how many sessions queued the message
 * @param skipped the sessions that did not, in the order they were given; empty when none were skipped
 */
public record BroadcastResult(int queued, List<Skipped> skipped) {
    /**
     * @param queued how many sessions queued the message
     * @param skipped the sessions that did not; copied
     * @throws IllegalArgumentException if {@code queued} is negative
     */
    public BroadcastResult {
        if (queued < 0) {
            throw new IllegalArgumentException("queued is negative: " + queued);
        }
        skipped = List.copyOf(skipped);
    }

    /** Why a session was skipped. */
    public enum Reason {
        /** The session is closed, or closing: a close frame was sent or received. */
        CLOSED,
        /**
         * The session holds its outbound limit of bytes not yet written: its reader is slow (see
         * {@link Session}, outbound backpressure). Under {@link OutboundLimitPolicy#CLOSE} it is being closed too.
         */
        OUTBOUND_LIMIT,
        /**
         * The session refused the message for another reason: a session of another implementation (a wrapper) whose
         * send failed otherwise, or threw (the exception is the cause). A Sockwave session in the middle of a
         * fragmented message of its own is not skipped: it queues the message after that message's last fragment.
         */
        REFUSED
    }

    /**
     * A session that did not queue the message.
     *
     * @param session the session
     * @param reason why
     * @param cause the exception its send failed with
     */
    public record Skipped(Session session, Reason reason, Throwable cause) {
        /**
         * @param session the session
         * @param reason why
         * @param cause the exception its send failed with
         * @throws NullPointerException if an argument is null
         */
        public Skipped {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(cause, "cause");
        }
    }
}
