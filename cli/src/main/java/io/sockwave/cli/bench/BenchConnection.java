package io.sockwave.cli.bench;

import io.sockwave.Listener;
import io.sockwave.Session;
import io.sockwave.protocol.CloseCode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection of a bench run: keeps up to {@code in-flight} messages awaiting their echo, times and checks each
 * echo, and sends the next message when one comes back (or when the pacer says so, under {@code --rate}).
 */
final class BenchConnection implements Listener {
    private final int number;
    private final LoadGenerator run;
    private final Payload payload;
    private final boolean binary;
    private final boolean paced;
    /** Guards the ring of messages in flight, which sends and echoes on different threads both touch. */
    private final ReentrantLock lock = new ReentrantLock();
    private final long[] sentAt;
    private long sent;
    private long echoed;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Session session;

    BenchConnection(int number, LoadGenerator run, BenchSettings settings) {
        this.number = number;
        this.run = run;
        this.payload = new Payload(settings.size(), number);
        this.binary = settings.binary();
        this.paced = settings.rate() > 0;
        this.sentAt = new long[settings.inFlight()];
    }

    /** @return completes when the session has closed, or at once if it never opened */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /** The connect failed: there is nothing to wait for. */
    void neverOpened() {
        closed.complete(null);
    }

    /**
     * Sends one more message if this connection has room in flight and the run allows another.
     *
     * @return whether a message was sent
     */
    boolean trySend() {
        Session s = session;
        if (s == null) {
            return false;
        }
        lock.lock();
        try {
            if (sent - echoed >= sentAt.length || !s.isOpen() || !run.begin()) {
                return false;
            }
            long seq = sent++;
            sentAt[(int) (seq % sentAt.length)] = System.nanoTime();
            if (binary) {
                s.sendBinary(payload.bytes(seq));
            } else {
                s.sendText(payload.text(seq));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Fills the in-flight window, as the run starts. */
    void prime() {
        while (trySend()) {
            // keep sending until the window is full or the run says stop
        }
    }

    /** Starts the closing handshake if the session is open. */
    void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(CloseCode.NORMAL_CLOSURE, "");
        }
    }

    @Override
    public void onOpen(Session session) {
        this.session = session;
        run.opened();
    }

    @Override
    public void onText(Session session, String text) {
        check(text.length(), seq -> binary ? "a text message where a binary echo was due"
                : payload.mismatch(seq, text));
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        check(data.remaining(), seq -> binary ? payload.mismatch(seq, data)
                : "a binary message where a text echo was due");
    }

    @Override
    public void onClose(Session session, int code, String reason) {
        long lost;
        lock.lock();
        try {
            lost = sent - echoed;
            echoed = sent;
        } finally {
            lock.unlock();
        }
        run.connectionClosed(number, lost, code + " " + CloseCode.describe(code) + (reason.isEmpty() ? ""
                : ": " + reason));
        closed.complete(null);
    }

    /** Matches an incoming message with the oldest one in flight, times it and checks its content. */
    private void check(int length, LongFunction<String> mismatch) {
        long now = System.nanoTime();
        long seq;
        long latency;
        lock.lock();
        try {
            if (echoed == sent) {
                run.unexpected("connection " + number + " received a message it had not sent (" + length
                        + " bytes)");
                return;
            }
            seq = echoed++;
            latency = now - sentAt[(int) (seq % sentAt.length)];
        } finally {
            lock.unlock();
        }
        String problem = mismatch.apply(seq);
        if (problem == null) {
            run.echoed(latency, length);
        } else {
            run.wrongEcho("echo " + seq + " on connection " + number + ": " + problem);
        }
        if (!paced) {
            trySend();
        }
    }
}
