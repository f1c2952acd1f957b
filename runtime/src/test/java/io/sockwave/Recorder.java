package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sockwave.protocol.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A listener that writes every event it gets as a line of text ({@code open}, {@code text:hi}, {@code binary:3},
 * {@code close:1000:bye}, {@code error:TimeoutException}...) for tests to wait on in order.
 */
class Recorder implements Listener {
    static final long WAIT_SECONDS = 10;

    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Session> opened = new CompletableFuture<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    final List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile String callbackThread;
    /** Whether {@code onWritable} is recorded; off by default, since any large send may cause one. */
    volatile boolean recordWritable;

    @Override
    public void onOpen(Session session) {
        callbackThread = Thread.currentThread().getName();
        events.add("open");
        opened.complete(session);
    }

    @Override
    public void onText(Session session, String text) {
        events.add("text:" + text);
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        events.add("binary:" + data.remaining());
    }

    @Override
    public void onFragment(Session session, Opcode type, ByteBuffer data, boolean last) {
        events.add("fragment:" + type + ":" + StandardCharsets.UTF_8.decode(data) + (last ? ":last" : ""));
    }

    @Override
    public void onPing(Session session, ByteBuffer payload) {
        events.add("ping:" + StandardCharsets.UTF_8.decode(payload));
    }

    @Override
    public void onPong(Session session, ByteBuffer payload) {
        events.add("pong:" + StandardCharsets.UTF_8.decode(payload));
    }

    @Override
    public void onWritable(Session session) {
        if (recordWritable) {
            events.add("writable");
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        errors.add(error);
        events.add("error:" + error.getClass().getSimpleName());
    }

    @Override
    public void onClose(Session session, int code, String reason) {
        String line = "close:" + code + ":" + reason;
        events.add(line);
        closed.complete(line);
    }

    /** @return the next event, failing the test if none comes in time */
    String next() throws InterruptedException {
        String event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(event, "no event within " + WAIT_SECONDS + " s");
        return event;
    }

    /** Waits for the next event, skipping none, and checks it. */
    void expect(String event) throws InterruptedException {
        assertEquals(event, next());
    }

    /** @return the session once open */
    Session session() throws Exception {
        return opened.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** @return the close line ({@code close:code:reason}) once closed */
    String awaitClose() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Against an echo endpoint: expects {@code open}, sends a text and a 100,000-byte binary message, expects both
     * back, then closes and expects the close handshake to end with 1000.
     */
    void expectEchoAndClose(Session session) throws Exception {
        expect("open");
        session.sendText("through the tunnel");
        session.sendBinary(ByteBuffer.wrap(new byte[100_000]));
        expect("text:through the tunnel");
        expect("binary:100000");
        session.close();
        assertEquals("close:1000:", awaitClose());
    }

    /** @return the events so far, without waiting */
    List<String> drain() {
        List<String> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }
}
