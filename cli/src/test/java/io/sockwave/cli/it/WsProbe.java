package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket client from the JDK ({@code java.net.http}), not from Sockwave, so that the server is checked
 * against an implementation it shares no code with. Collects whole messages and the close.
 */
public final class WsProbe implements WebSocket.Listener {
    /** How the connection closed. */
    public record Close(int code, String reason) {}

    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket socket;

    private WsProbe() {}

    /** Connects to a ws:// URI. */
    public static WsProbe connect(URI uri) throws Exception {
        return connect(uri, null);
    }

    /** Connects to a ws:// or wss:// URI, with this SSL context for wss. */
    public static WsProbe connect(URI uri, SSLContext tls) throws Exception {
        WsProbe probe = new WsProbe();
        HttpClient.Builder http = HttpClient.newBuilder();
        if (tls != null) {
            http.sslContext(tls);
        }
        probe.socket = http.build().newWebSocketBuilder().buildAsync(uri, probe).get(10, TimeUnit.SECONDS);
        return probe;
    }

    /** @return the next whole text message; fails the test after the patience */
    public String nextText() throws InterruptedException {
        Object message = next();
        if (!(message instanceof String s)) {
            throw new AssertionError("expected a text message, got " + message);
        }
        return s;
    }

    /** @return the next whole binary message */
    public byte[] nextBinary() throws InterruptedException {
        Object message = next();
        if (!(message instanceof byte[] b)) {
            throw new AssertionError("expected a binary message, got " + message);
        }
        return b;
    }

    private Object next() throws InterruptedException {
        Object message = messages.poll(SockwaveProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (message == null) {
            fail("no message within " + SockwaveProcess.PATIENCE.toSeconds() + " s"
                    + (closed.isDone() ? "; closed " + closed.join() : ""));
        }
        return message;
    }

    /** @return the close, once it has come */
    public Close awaitClose() throws Exception {
        return closed.get(SockwaveProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** @return whether the connection has closed, without waiting */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** Asserts that the connection closes with this code. */
    public void assertClosedWith(int code) throws Exception {
        assertEquals(code, awaitClose().code(), "close code");
    }

    /** Sends a text message and waits until it is sent. */
    public void send(String message) throws Exception {
        socket.sendText(message, true).get(10, TimeUnit.SECONDS);
    }

    /** Sends a binary message and waits until it is sent. */
    public void send(byte[] message) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(message), true).get(10, TimeUnit.SECONDS);
    }

    /** Cuts the TCP connection without a close frame, as a network failure would. */
    public void abort() {
        socket.abort();
    }

    /** Starts a normal close. */
    public void close() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.writeBytes(bytes);
        if (last) {
            messages.add(binary.toByteArray());
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Close(1006, String.valueOf(error)));
    }
}
