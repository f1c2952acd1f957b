package io.sockwave;

/**
 * What happens to a send that would take a session's queued bytes past its outbound limit (see
 * {@link SessionSettings#outboundBuffer(int, int, long)}).
 */
public enum OutboundLimitPolicy {
    /**
     * The send fails with {@link OutboundLimitExceededException}; the session stays open and the caller may try
     * again once it is writable. The default.
     */
    FAIL_SEND,
    /**
     * The send fails, and the session is closed with 1008 (policy violation): the close frame goes ahead of the
     * queued messages, which are dropped and their sends failed, for a peer that cannot keep up is not worth
     * waiting for.
     */
    CLOSE
}
