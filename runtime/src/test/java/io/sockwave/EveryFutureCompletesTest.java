package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Session's Javadoc: every send "completes when the frame has been handed to the socket, and fails if it cannot be"
 * (IOException, TimeoutException, OutboundLimitExceededException, IllegalStateException); every method "may be called
 * from any thread"; Listener's: calls never overlap, onOpen first, onClose "exactly once, last", with the code
 * RFC 6455 §7.1.5 and §7.4 give. A future that never completes is a hang for the application.
 *
 * <p>Each trial connects a client to a server through loopback, has several threads send whole messages (some as
 * prepared messages or broadcasts), pings and, on one thread, fragmented messages (§5.4) at once, and ends the
 * session one way while they do: a close or an abort from either end, two closes at once, a graceful shutdown or a
 * stop of either side, a callback that throws, a callback executor shut down, a peer that stops reading (send
 * timeout), an idle timeout. Then every future any call returned must be done within a bound, failed only with a
 * documented type and a message; every message the server received must be one that was sent, whole, not
 * interleaved with another; after a closing handshake every send that completed normally must have arrived; and the
 * callbacks on both ends must keep their order with the expected close codes. Options (TLS, permessage-deflate,
 * callback executors, message sizes) are drawn from a seed, printed on failure; {@code -Dsockwave.futures.trials=N}
 * runs N trials per way of ending instead of one.
 */
@Timeout(600)
class EveryFutureCompletesTest {
    private static final int SENDERS = 3;
    private static final int MESSAGES_PER_SENDER = 120;
    private static final long SETTLE_SECONDS = 20;
    private static final TestCertificates CERTIFICATES = TestCertificates.loopback();

    enum Ending {
        CLIENT_CLOSE(1000, 1000, true),
        CLIENT_ABORT(1006, 1006, false),
        /** Two threads close at once, with the same code: one close frame goes, the other call fails. */
        CLIENT_CLOSES_TWICE(1000, 1000, true),
        CLIENT_SHUTDOWN(1001, 1001, true),
        CLIENT_STOP(1006, 1006, false),
        SERVER_CLOSE(4000, 4000, true),
        SERVER_ABORT(1006, 1006, false),
        SERVER_SHUTDOWN(1001, 1001, true),
        SERVER_STOP(1006, 1006, false),
        CALLBACK_THROWS(1011, 1011, false),
        /** The client's callback executor is shut down, then the client closes: the calls left run inline. */
        EXECUTOR_SHUT_DOWN(1000, 1000, true),
        PEER_STOPS_READING(1006, 1006, false),
        /** The server closes once nothing has passed for a while (RFC 6455 §7.4.1: 1001, going away). */
        IDLE_TIMEOUT(1001, 1001, true);

        final int clientCode;
        final int serverCode;
        /** Whether the session ends with a closing handshake, after which every send that completed has arrived. */
        final boolean handshake;

        Ending(int clientCode, int serverCode, boolean handshake) {
            this.clientCode = clientCode;
            this.serverCode = serverCode;
            this.handshake = handshake;
        }
    }

    @Test
    void everyFutureCompletesAndEveryPromiseHoldsWhateverEndsTheSession() throws Exception {
        int trials = Integer.getInteger("sockwave.futures.trials", 1);
        long base = Long.getLong("sockwave.futures.seed", System.nanoTime());
        for (int t = 0; t < trials; t++) {
            for (Ending ending : Ending.values()) {
                long seed = base + t * 1000L + ending.ordinal();
                try {
                    new Trial(ending, new Random(seed)).run();
                } catch (AssertionError | Exception e) {
                    throw new AssertionError(ending + " with -Dsockwave.futures.seed=" + (seed - ending.ordinal())
                            + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The text of message {@code seq} of sender {@code sender}: a header, then chars that depend on both. */
    static String message(String sender, int seq, int length) {
        StringBuilder b = new StringBuilder(length + 16).append(sender).append('-').append(seq).append(':');
        int salt = sender.hashCode() * 31 + seq * 7;
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + Math.floorMod(salt + i, 26)));
        }
        return b.toString();
    }

    /** @return the header of a well-formed message, or null if its body is not the one its header announces */
    static String check(String text) {
        int colon = text.indexOf(':');
        int dash = text.lastIndexOf('-', colon);
        if (colon < 0 || dash < 0) {
            return null;
        }
        String sender = text.substring(0, dash);
        int seq = Integer.parseInt(text.substring(dash + 1, colon));
        String expected = message(sender, seq, text.length() - colon - 1);
        return expected.equals(text) ? text.substring(0, colon) : null;
    }

    private static final class Trial {
        final Ending ending;
        final Random random;
        final boolean tls;
        final boolean deflate;
        final boolean executor;
        final boolean serverExecutor;
        final int maxLength;
        final List<CompletableFuture<?>> futures = Collections.synchronizedList(new ArrayList<>());
        /** Per future, what it was for: the header of the message, a piece's, "ping" or "close". */
        final Map<CompletableFuture<?>, String> purposes = new ConcurrentHashMap<>();
        final Set<String> received = ConcurrentHashMap.newKeySet();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch triggered = new CountDownLatch(1);
        final int trigger;
        volatile Session serverSession;

        Trial(Ending ending, Random random) {
            this.ending = ending;
            this.random = random;
            this.tls = random.nextBoolean();
            // A peer that stops reading is only noticed once the socket's buffers are full: no compression then.
            this.deflate = ending != Ending.PEER_STOPS_READING && random.nextBoolean();
            this.executor = ending == Ending.EXECUTOR_SHUT_DOWN || random.nextBoolean();
            this.serverExecutor = random.nextBoolean();
            this.maxLength = ending == Ending.PEER_STOPS_READING ? 256 << 10 : 1 << (6 + random.nextInt(9));
            this.trigger = 1 + random.nextInt(SENDERS * MESSAGES_PER_SENDER / 3);
        }

        @Override
        public String toString() {
            return ending + " tls=" + tls + " deflate=" + deflate + " executor=" + executor + " serverExecutor="
                    + serverExecutor + " maxLength="
                    + maxLength + " trigger=" + trigger;
        }

        /** What the server does: checks each message, and ends the session when the trigger is reached. */
        final class ServerSide implements Listener {
            private int count;

            @Override
            public void onOpen(Session session) {
                serverSession = session;
                if (ending == Ending.PEER_STOPS_READING) {
                    session.suspendReading();
                }
            }

            @Override
            public void onText(Session session, String text) {
                if (text.equals("boom")) {
                    throw new IllegalStateException("a callback fails on purpose");
                }
                String header = check(text);
                if (header == null) {
                    problems.add("server received a message not sent whole: "
                            + text.substring(0, Math.min(60, text.length())));
                } else if (!received.add(header)) {
                    problems.add("server received " + header + " twice");
                }
                if (++count != trigger) {
                    return;
                }
                triggered.countDown();
                switch (ending) {
                    case SERVER_CLOSE -> session.close(4000, "enough");
                    case SERVER_ABORT -> session.abort();
                    case CALLBACK_THROWS -> throw new IllegalStateException("a callback fails on purpose");
                    default -> {
                    }
                }
            }
        }

        void run() throws Exception {
            CallbackOrderChecker serverListener = new CallbackOrderChecker("server", new ServerSide());
            CallbackOrderChecker clientListener = new CallbackOrderChecker("client", new Listener() { });
            ExecutorService callbacks = executor ? Executors.newFixedThreadPool(2) : null;
            ExecutorService serverCallbacks = serverExecutor ? Executors.newFixedThreadPool(2) : null;
            Server.Builder builder = Server.builder().host("127.0.0.1").port(0).eventLoops(1)
                    .route("/", serverListener).closeTimeout(Duration.ofSeconds(2))
                    .outboundBuffer(16 << 10, 64 << 10, 256L << 20);
            ClientOptions.Builder options = ClientOptions.builder().closeTimeout(Duration.ofSeconds(2))
                    .outboundBuffer(16 << 10, 64 << 10, 256L << 20);
            if (tls) {
                builder.tls(CERTIFICATES.server());
                options.sslContext(CERTIFICATES.client());
            }
            if (deflate) {
                builder.extensions(PerMessageDeflate.defaults());
                options.extensions(PerMessageDeflate.defaults());
            }
            if (callbacks != null) {
                options.callbackExecutor(callbacks);
            }
            if (serverCallbacks != null) {
                builder.callbackExecutor(serverCallbacks);
            }
            if (ending == Ending.PEER_STOPS_READING) {
                options.sendTimeout(Duration.ofMillis(500));
            }
            if (ending == Ending.IDLE_TIMEOUT) {
                builder.idleTimeout(Duration.ofMillis(300));
            }
            Server server = builder.build().start();
            Client client = Client.create(1);
            try {
                URI uri = URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + server.port() + "/");
                CompletableFuture<Session> connected = client.connect(uri, options.build(), clientListener);
                track(connected, "connect");
                Session session = connected.get(10, TimeUnit.SECONDS);
                serverListener.opened.get(10, TimeUnit.SECONDS);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < SENDERS; i++) {
                    long seed = random.nextLong();
                    String name = "t" + i;
                    threads.add(start(() -> sendWhole(session, name, new Random(seed))));
                }
                long pieceSeed = random.nextLong();
                threads.add(start(() -> sendPieces(session, new Random(pieceSeed))));
                end(session, server, client, callbacks);
                for (Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(SETTLE_SECONDS));
                    assertTrue(!thread.isAlive(), "a sender is still blocked in a send call: " + this);
                }
                settle(serverListener, clientListener);
            } finally {
                client.close();
                server.close();
                if (callbacks != null) {
                    callbacks.shutdownNow();
                }
                if (serverCallbacks != null) {
                    serverCallbacks.shutdownNow();
                }
            }
        }

        /** Runs a task on a thread of its own; what the API throws at a call, rather than in a future, is a problem. */
        private Thread start(Runnable task) {
            Thread thread = new Thread(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    problems.add("a call threw " + e);
                }
            }, "sender");
            thread.start();
            return thread;
        }

        private void track(CompletableFuture<?> future, String purpose) {
            purposes.put(future, purpose);
            futures.add(future);
        }

        private void sendWhole(Session session, String name, Random r) {
            for (int seq = 0; seq < MESSAGES_PER_SENDER; seq++) {
                String text = message(name, seq, r.nextInt(maxLength));
                switch (r.nextInt(8)) {
                    // A broadcast has no future: the message may arrive or be skipped, and is checked if it arrives.
                    case 0 -> Server.broadcast(List.of(session), text);
                    case 1 -> track(session.send(PreparedMessage.text(text)), name + "-" + seq);
                    default -> track(session.sendText(text), name + "-" + seq);
                }
                if (seq % 10 == 0) {
                    track(session.ping(ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8))), "ping");
                    track(session.whenWritable(), "whenWritable");
                }
            }
        }

        private void sendPieces(Session session, Random r) {
            for (int seq = 0; seq < MESSAGES_PER_SENDER / 4; seq++) {
                String text = message("f", seq, r.nextInt(maxLength));
                int pieces = 1 + r.nextInt(4);
                int at = 0;
                for (int p = 1; p <= pieces; p++) {
                    int to = p == pieces ? text.length() : at + r.nextInt(text.length() - at + 1);
                    track(session.sendText(text.substring(at, to), p == pieces), "f-" + seq + "/" + p + "/" + pieces);
                    at = to;
                }
            }
        }

        /** Ends the session the trial's way, once the server got {@link #trigger} messages. */
        private void end(Session session, Server server, Client client, ExecutorService callbacks)
                throws Exception {
            if (ending == Ending.PEER_STOPS_READING) {
                return;
            }
            if (!triggered.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the server never got " + trigger + " messages");
            }
            switch (ending) {
                case CLIENT_CLOSE -> track(session.close(1000, "bye"), "close");
                case CLIENT_ABORT -> session.abort();
                case CLIENT_CLOSES_TWICE -> {
                    Thread other = start(() -> track(session.close(1000, "other"), "close"));
                    track(session.close(1000, "bye"), "close");
                    other.join();
                }
                case CLIENT_SHUTDOWN -> client.shutdown(Duration.ofSeconds(10));
                case CLIENT_STOP -> client.close();
                case SERVER_SHUTDOWN -> server.shutdown(Duration.ofSeconds(10));
                case SERVER_STOP -> server.close();
                case EXECUTOR_SHUT_DOWN -> {
                    // Not shutdownNow: the tasks it hands back unrun are the application's to run or lose.
                    callbacks.shutdown();
                    track(session.close(1000, "bye"), "close");
                }
                default -> {
                }
            }
        }

        private void settle(CallbackOrderChecker serverListener, CallbackOrderChecker clientListener)
                throws Exception {
            int clientCode = clientListener.closeCode.get(SETTLE_SECONDS, TimeUnit.SECONDS);
            if (ending == Ending.PEER_STOPS_READING) {
                // Its deadlines wait while it does not read; once it reads again it finds the connection gone.
                serverSession.resumeReading();
            }
            int serverCode = serverListener.closeCode.get(SETTLE_SECONDS, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
            List<CompletableFuture<?>> all;
            synchronized (futures) {
                all = List.copyOf(futures);
            }
            List<String> completedNormally = new ArrayList<>();
            for (CompletableFuture<?> future : all) {
                String purpose = purposes.get(future);
                try {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    completedNormally.add(purpose);
                } catch (TimeoutException e) {
                    fail("the future of " + purpose + " did not complete within " + SETTLE_SECONDS + " s of the end: "
                            + this);
                } catch (ExecutionException e) {
                    checkFailure(purpose, e.getCause());
                }
            }
            List<String> violations = new ArrayList<>(serverListener.violations());
            violations.addAll(clientListener.violations());
            violations.addAll(problems);
            assertEquals(List.of(), violations, this.toString());
            assertEquals(ending.clientCode, clientCode, "the client's onClose code: " + this);
            assertEquals(ending.serverCode, serverCode, "the server's onClose code: " + this);
            if (ending.handshake) {
                for (String purpose : completedNormally) {
                    if (purpose.startsWith("t") && !received.contains(purpose)) {
                        fail(purpose + " completed normally before a closing handshake, yet never arrived: " + this);
                    }
                }
            }
        }

        private void checkFailure(String purpose, Throwable cause) {
            Throwable failure = cause instanceof CompletionException && cause.getCause() != null
                    ? cause.getCause() : cause;
            boolean documented = failure instanceof IOException || failure instanceof TimeoutException
                    || failure instanceof IllegalStateException;
            if (!documented) {
                problems.add(purpose + " failed with an undocumented " + failure);
            } else if (failure.getMessage() == null || failure.getMessage().isBlank()) {
                problems.add(purpose + " failed with no message: " + failure);
            }
            if (purpose.equals("connect")) {
                problems.add("the connect failed: " + failure);
            }
        }
    }
}
