package io.sockwave;

import java.io.IOException;

/** A send failed because the session's queued bytes would have exceeded its outbound limit. */
public final class OutboundLimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param queued the bytes queued when the send was refused
     * @param needed the bytes the send needed
     * @param limit the session's outbound limit
     */
    public OutboundLimitExceededException(long queued, long needed, long limit) {
        super("outbound limit of " + limit + " bytes reached: " + queued + " queued, " + needed + " more refused");
    }
}
