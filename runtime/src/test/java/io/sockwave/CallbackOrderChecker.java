package io.sockwave;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener in front of another that checks the promises of {@link Listener}'s Javadoc for the one session it
 * serves: calls never overlap, {@code onOpen} comes first, {@code onClose} last and exactly once, and no second
 * session appears. Breaches are collected as text, for a test to assert there are none.
 */
final class CallbackOrderChecker implements Listener {
    private final String side;
    private final Listener delegate;
    private final AtomicInteger inside = new AtomicInteger();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Session> opened = new CompletableFuture<>();
    /** Completes with the close code at the first {@code onClose}. */
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile Session session;
    private volatile boolean closed;

    CallbackOrderChecker(String side, Listener delegate) {
        this.side = side;
        this.delegate = delegate;
    }

    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    private void enter(Session s, String callback) {
        if (inside.incrementAndGet() != 1) {
            violations.add(side + ": " + callback + " overlaps another callback of the session");
        }
        if (session == null && !callback.equals("onOpen")) {
            violations.add(side + ": " + callback + " before onOpen");
        } else if (session != null && session != s) {
            violations.add(side + ": " + callback + " for a second session " + s.id());
        }
        if (closed) {
            violations.add(side + ": " + callback + " after onClose");
        }
    }

    private void exit() {
        inside.decrementAndGet();
    }

    @Override
    public void onOpen(Session s) {
        enter(s, "onOpen");
        if (session != null) {
            violations.add(side + ": onOpen twice");
        }
        session = s;
        try {
            opened.complete(s);
            delegate.onOpen(s);
        } finally {
            exit();
        }
    }

    @Override
    public void onText(Session s, String text) {
        enter(s, "onText");
        try {
            delegate.onText(s, text);
        } finally {
            exit();
        }
    }

    @Override
    public void onBinary(Session s, ByteBuffer data) {
        enter(s, "onBinary");
        try {
            delegate.onBinary(s, data);
        } finally {
            exit();
        }
    }

    @Override
    public void onPing(Session s, ByteBuffer payload) {
        enter(s, "onPing");
        try {
            delegate.onPing(s, payload);
        } finally {
            exit();
        }
    }

    @Override
    public void onPong(Session s, ByteBuffer payload) {
        enter(s, "onPong");
        try {
            delegate.onPong(s, payload);
        } finally {
            exit();
        }
    }

    @Override
    public void onWritable(Session s) {
        enter(s, "onWritable");
        try {
            delegate.onWritable(s);
        } finally {
            exit();
        }
    }

    @Override
    public void onError(Session s, Throwable error) {
        enter(s, "onError");
        try {
            errors.add(error);
            delegate.onError(s, error);
        } finally {
            exit();
        }
    }

    @Override
    public void onClose(Session s, int code, String reason) {
        enter(s, "onClose");
        closed = true;
        try {
            closeCode.complete(code);
            delegate.onClose(s, code, reason);
        } finally {
            exit();
        }
    }
}
