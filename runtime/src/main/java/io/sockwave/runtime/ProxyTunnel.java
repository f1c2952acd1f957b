package io.sockwave.runtime;

import io.sockwave.Proxy;
import io.sockwave.ProxyException;
import io.sockwave.protocol.Limits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A client connection's first phase when it goes through a proxy: asks the proxy for a tunnel to the WebSocket
 * server, then hands the connection to the opening handshake (TLS first, for wss). The connect timeout covers this
 * leg too: the tunnel must be open by the connect deadline. Any failure fails the connect future and closes the
 * socket; a proxy address that cannot be reached gives way to the proxy's next address.
 */
abstract class ProxyTunnel implements Phase {
    /** What runs once the tunnel is open: switches the connection to the WebSocket handshake. */
    @FunctionalInterface
    interface Established {
        void run() throws Exception;
    }

    final ChannelDriver driver;
    final Proxy proxy;
    /** The WebSocket server's host (no brackets) and port: where the tunnel leads. */
    final String host;
    final int port;
    private final CompletableFuture<?> result;
    private final Runnable fallback;
    private final Established established;
    private final long deadline;
    private final long connectNanos;
    private boolean connected;

    ProxyTunnel(ChannelDriver driver, Proxy proxy, String host, int port, CompletableFuture<?> result,
                Runnable fallback, long deadline, long connectNanos, Established established) {
        this.driver = driver;
        this.proxy = proxy;
        this.host = host;
        this.port = port;
        this.result = result;
        this.fallback = fallback;
        this.deadline = deadline;
        this.connectNanos = connectNanos;
        this.established = established;
        driver.wakeBy(deadline);
    }

    /**
     * @param limits bound the HTTP proxy's answer as they bound a handshake response
     * @param proxyAuthorization the {@code Proxy-Authorization} values set by hand, for an HTTP proxy without
     *     credentials of its own
     * @param established switches the connection to the WebSocket handshake once the tunnel is open
     * @return the phase that speaks the proxy's protocol; it sends its first message once connected
     */
    static ProxyTunnel create(ChannelDriver driver, Proxy proxy, String host, int port, CompletableFuture<?> result,
                              Runnable fallback, long deadline, long connectNanos, Limits limits,
                              List<String> proxyAuthorization, Established established) {
        return switch (proxy.type()) {
            case HTTP -> new HttpConnectTunnel(driver, proxy, host, port, result, fallback, deadline, connectNanos,
                    limits, proxyAuthorization, established);
            case SOCKS5 -> new Socks5Tunnel(driver, proxy, host, port, result, fallback, deadline, connectNanos,
                    established);
            case DIRECT -> throw new IllegalArgumentException("a direct connection has no tunnel");
        };
    }

    /**
     * Reads the proxy's answers, sending what comes next.
     *
     * @param in bytes from the proxy; consume what belongs to its answers and nothing beyond
     * @return whether the tunnel is open
     * @throws ProxyException when the proxy refuses or its answer is malformed
     */
    abstract boolean answer(ByteBuffer in) throws ProxyException;

    /** @return the destination as the failure messages name it */
    String target() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    @Override
    public void onConnected() {
        connected = true;
    }

    @Override
    public void onData(ByteBuffer in) {
        try {
            if (!answer(in)) {
                return;
            }
        } catch (ProxyException e) {
            driver.terminate(e);
            return;
        }
        if (in.hasRemaining()) {
            // The server has not been sent a byte yet, so nothing it says can be here: the proxy misbehaves.
            driver.terminate(new ProxyException(proxy, 0, proxy + " sent " + in.remaining()
                    + " bytes beyond its answer before the tunnel to " + target() + " was used"));
            return;
        }
        try {
            established.run();
        } catch (Exception e) {
            driver.terminate(e);
        }
    }

    @Override
    public void onEof() {
        driver.terminate(new ProxyException(proxy, 0, proxy + " closed the connection before opening a tunnel to "
                + target()));
    }

    @Override
    public void goingAway() {
        // Failed first, so that the shutdown is the reason given, rather than an address or proxy out of reach.
        result.completeExceptionally(new IOException(ClientEngine.SHUTTING_DOWN));
        driver.terminate(null);
    }

    @Override
    public long onTimer(long now) {
        if (TimerNode.reached(now, deadline)) {
            driver.terminate(new TimeoutException((connected
                    ? proxy + " did not open a tunnel to " + target()
                    : "connection to " + proxy + " not established")
                    + " within " + Durations.readable(connectNanos)));
            return Long.MAX_VALUE;
        }
        return deadline;
    }

    @Override
    public void onEnd(Throwable cause) {
        if (!connected && fallback != null && cause instanceof IOException && !result.isDone()) {
            // The proxy's next address may answer, within the same connect deadline.
            driver.loop.execute(fallback);
            return;
        }
        Throwable failure = cause != null ? cause
                : new IOException("the connection closed while " + proxy + " opened a tunnel");
        if (!connected && failure instanceof IOException && !(failure instanceof ProxyException)) {
            // Say that it was the proxy that could not be reached, not the server.
            ProxyException unreachable = new ProxyException(proxy, 0, "cannot reach " + proxy + ": "
                    + failure.getMessage());
            unreachable.initCause(failure);
            failure = unreachable;
        }
        result.completeExceptionally(failure);
    }
}
