package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A server session and the raw socket that reads its frames, for the tests of what topics and broadcasts give a
 * session in the middle of a fragmented message of its own.
 *
 * @param socket reads the session's frames
 * @param session the server's session, on the server's one event loop
 * @param calls what the session's {@code onText} runs, one for each text message the socket sends: the way to run
 *     code on the loop in a callback (a future's dependent runs on the thread that adds it if the future is
 *     complete by then)
 */
record FragmentingMember(RawSocket socket, Session session, LinkedBlockingQueue<Consumer<Session>> calls) {
    /**
     * Starts a server with one event loop and connects one raw socket to it.
     *
     * @param builder the server's settings
     * @param resources where the server and the socket are added, for the test to close
     */
    static FragmentingMember connect(Server.Builder builder, List<AutoCloseable> resources) throws Exception {
        LinkedBlockingQueue<Session> opened = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Consumer<Session>> calls = new LinkedBlockingQueue<>();
        Server server = builder.host("127.0.0.1").eventLoops(1).route("/", new Listener() {
            @Override
            public void onOpen(Session session) {
                opened.add(session);
            }

            @Override
            public void onText(Session session, String text) {
                Consumer<Session> call = calls.poll();
                if (call != null) {
                    call.accept(session);
                }
            }
        }).build().start();
        resources.add(server);
        RawSocket socket = RawSocket.connect(server.port()).open("/");
        resources.add(socket);
        Session session = opened.poll(10, TimeUnit.SECONDS);
        assertTrue(session != null, "no session opened");
        return new FragmentingMember(socket, session, calls);
    }

    /** Runs the calls on the session's event loop, in a callback, and waits for them. */
    void onLoop(Consumer<Session> calls) throws Exception {
        CompletableFuture<Void> ran = new CompletableFuture<>();
        runOnLoop(session -> {
            try {
                calls.accept(session);
                ran.complete(null);
            } catch (RuntimeException | Error e) {
                ran.completeExceptionally(e);
            }
        });
        ran.get(10, TimeUnit.SECONDS);
    }

    /**
     * Holds the session's event loop in a callback until the returned hold is closed (or 10 s have passed), so that
     * what other threads send meanwhile is on its way to the loop, counted but not yet taken by it.
     */
    AutoCloseable holdLoop() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        runOnLoop(session -> {
            entered.countDown();
            try {
                released.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the loop ran the hold");
        return released::countDown;
    }

    /**
     * Has the call run by {@code onText}, once the loop has run what this thread handed it before (a topic's join,
     * say), which a message read in the loop's next turn could otherwise overtake: a ping is a task of the loop too,
     * and its future completes once the loop ran it and wrote it.
     */
    private void runOnLoop(Consumer<Session> call) throws Exception {
        calls.add(call);
        session.ping(ByteBuffer.allocate(0)).get(10, TimeUnit.SECONDS);
        socket.write(RawSocket.masked(0x81, "run"));
    }

    /** Reads the next data frame, past the pings of {@link #onLoop} and {@link #holdLoop}. */
    void expect(int b0, String text) throws Exception {
        RawSocket.Frame frame = socket.readFrame();
        for (int pings = 0; pings < 8 && frame.b0() == 0x89; pings++) {
            frame = socket.readFrame();
        }
        assertEquals(b0, frame.b0(), "the first byte of the frame expected to carry \"" + abbreviated(text)
                + "\", which carries \"" + abbreviated(frame.text()) + "\"");
        assertEquals(text, new String(frame.payload(), StandardCharsets.UTF_8));
    }

    void awaitQueued(long bytes) throws InterruptedException {
        for (int wait = 0; wait < 500 && session.queuedBytes() < bytes; wait++) {
            Thread.sleep(10);
        }
        assertTrue(session.queuedBytes() >= bytes, session.queuedBytes() + " bytes queued");
    }

    long queuedBytesOnceWritten() throws InterruptedException {
        for (int wait = 0; wait < 500 && session.queuedBytes() != 0; wait++) {
            Thread.sleep(10);
        }
        return session.queuedBytes();
    }

    private static String abbreviated(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
