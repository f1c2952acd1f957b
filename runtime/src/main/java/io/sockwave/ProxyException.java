package io.sockwave;

import java.io.IOException;

/**
 * The proxy a connect went through could not be reached, refused to open the tunnel, or answered something that is
 * no valid answer: an HTTP proxy's status other than 2xx (407 when it wants credentials, 403 when it forbids the
 * destination), a SOCKS5 proxy's failure reply or refused authentication, or a malformed or oversized answer. When
 * it could not be reached, the cause is the socket's exception.
 */
public final class ProxyException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Proxy proxy;
    /** The proxy's status or SOCKS reply code; see {@link #code()}. */
    private final int code;

    /**
     * @param proxy the proxy that refused
     * @param code see {@link #code()}
     * @param message says which proxy, what was asked and why it failed
     */
    public ProxyException(Proxy proxy, int code, String message) {
        super(message);
        this.proxy = proxy;
        this.code = code;
    }

    /** @return the proxy that refused, with its credentials if it had any */
    public Proxy proxy() {
        return proxy;
    }

    /**
     * @return an HTTP proxy's status (such as 407 or 403), a SOCKS5 proxy's reply code (RFC 1928 §6: 1 to 8, or
     *     another value it sent), or 0 when the failure has no code: a malformed answer, no acceptable
     *     authentication method, or refused username/password
     */
    public int code() {
        return code;
    }
}
