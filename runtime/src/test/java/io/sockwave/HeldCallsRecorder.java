package io.sockwave;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A listener whose session suspends its reading and closes itself on open, so that what the peer sends next is read
 * (its close must be) and held; it records the held calls, each message taking a while, so that a {@code close()} of
 * the server or client can be checked to wait for them and for {@code onClose}.
 */
final class HeldCallsRecorder implements Listener {
    /** The calls in order: {@code text:MESSAGE}, {@code close:CODE}. */
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onOpen(Session session) {
        session.suspendReading();
        session.close();
    }

    @Override
    public void onText(Session session, String text) {
        calls.add("text:" + text);
        try {
            TimeUnit.MILLISECONDS.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onClose(Session session, int code, String reason) {
        calls.add("close:" + code);
    }
}
