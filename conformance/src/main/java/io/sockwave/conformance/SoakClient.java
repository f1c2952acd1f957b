package io.sockwave.conformance;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of the soak: holds N connections to an echo server and sends one small text message on each, every
 * second, spread evenly over the second, for a bounded time; counts what comes back. Every second it writes its
 * counters to a file ({@code open sent echoed errors closed}, one line) for the sampler to read.
 *
 * <p>Usage: {@code SoakClient ws://127.0.0.1:PORT/echo CONNECTIONS SECONDS COUNTERS_FILE}. Exits 0 when every
 * connection opened, no error was reported and every one closed cleanly at the end; 1 otherwise.
 */
public final class SoakClient {
    private static final String MESSAGE = "soak ".repeat(12);
    /** Connections being opened at once: enough to ramp up quickly, few enough not to flood the accept queue. */
    private static final int OPENING = 200;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong echoed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final List<Session> sessions = new ArrayList<>();

    private SoakClient() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: SoakClient ws://127.0.0.1:PORT/echo CONNECTIONS SECONDS COUNTERS_FILE");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        Path counters = Path.of(args[3]);
        System.exit(new SoakClient().run(uri, connections, seconds, counters) ? 0 : 1);
    }

    private boolean run(URI uri, int connections, long seconds, Path counters) throws Exception {
        try (Client client = Client.create()) {
            open(client, uri, connections, counters);
            System.out.println("soak-client: " + sessions.size() + " of " + connections + " connections open");
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long tick = TimeUnit.MILLISECONDS.toNanos(100);
            long nextWrite = start;
            // Each tenth of a second, a tenth of the connections send: one message per connection per second.
            for (long at = start, round = 0; at - end < 0; at += tick, round++) {
                int from = (int) (round % 10) * sessions.size() / 10;
                int to = (int) (round % 10 + 1) * sessions.size() / 10;
                for (int i = from; i < to; i++) {
                    Session session = sessions.get(i);
                    if (session.isOpen()) {
                        session.sendText(MESSAGE);
                        sent.incrementAndGet();
                    }
                }
                if (System.nanoTime() - nextWrite >= 0) {
                    write(counters);
                    nextWrite += TimeUnit.SECONDS.toNanos(1);
                }
                long sleep = at + tick - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (Session session : sessions) {
                closing.add(session.close());
            }
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null).get(30, TimeUnit.SECONDS);
            // A close is done when the server's close comes back, not when ours is written.
            long closeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (closed.get() < sessions.size() && System.nanoTime() - closeBy < 0) {
                Thread.sleep(50);
            }
            write(counters);
        }
        boolean ok = sessions.size() == connections && errors.get() == 0 && closed.get() == connections;
        System.out.println("soak-client: sent " + sent + ", echoed " + echoed + ", errors " + errors + ", closed "
                + closed + (ok ? "" : "; FAILED"));
        return ok;
    }

    private void open(Client client, URI uri, int connections, Path counters) throws Exception {
        Semaphore opening = new Semaphore(OPENING);
        List<CompletableFuture<Session>> pending = new ArrayList<>();
        Listener listener = new Listener() {
            @Override
            public void onText(Session session, String text) {
                echoed.incrementAndGet();
            }

            @Override
            public void onError(Session session, Throwable error) {
                errors.incrementAndGet();
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                closed.incrementAndGet();
            }
        };
        for (int i = 0; i < connections; i++) {
            opening.acquire();
            CompletableFuture<Session> connect = client.connect(uri, listener);
            connect.whenComplete((session, error) -> opening.release());
            pending.add(connect);
        }
        for (CompletableFuture<Session> connect : pending) {
            try {
                sessions.add(connect.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }
        write(counters);
    }

    private void write(Path counters) throws IOException {
        Path tmp = counters.resolveSibling(counters.getFileName() + ".tmp");
        String line = sessions.size() + " " + sent + " " + echoed + " " + errors + " " + closed + "\n";
        Files.writeString(tmp, line, StandardCharsets.US_ASCII);
        Files.move(tmp, counters, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
