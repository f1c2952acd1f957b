package io.sockwave.protocol.handshake;

/**
 * The opening handshake failed. On the server it carries the HTTP status to answer with (and the message is the
 * one-line reason put in the response body); on the client the message says what the server got wrong.
 */
public class HandshakeException extends RuntimeException {
    private final int status;

    /**
     * @param status the HTTP status to answer with (server), or the status received (client), or 0 when there is none
     * @param reason one line saying what is wrong
     */
    public HandshakeException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    /** @return the HTTP status to answer with, or the one received; 0 when there is none */
    public int status() {
        return status;
    }
}
