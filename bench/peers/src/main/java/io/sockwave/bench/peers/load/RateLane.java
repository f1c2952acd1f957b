package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One server's part of the fixed-rate scenario ({@link FixedRateScenario}): its connections, the messages it has in
 * flight, and for every measured round a histogram of latency and one of the generator's lateness in sending.
 * {@link #execute()} opens the connections; the scenario then sends through {@link #send} and closes them. Every
 * other method runs on the event loop.
 */
final class RateLane extends ConnectionScenario {
    /** More queued messages than this on one connection means the server stopped answering. */
    private static final int MAX_PENDING_PER_CONNECTION = 100_000;
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram[] latency;
    private final Histogram[] lateness;
    private final long[] sampledIn;
    private InFlight[] inFlight;
    private int nextConnection;
    private long inFlightCount;

    /**
     * @param client the generator's transport to this lane's server
     * @param settings connections and rate
     * @param serverPid the server's process id
     * @param rounds how many measured rounds to keep figures for
     */
    RateLane(LoadClient client, LoadSettings settings, long serverPid, int rounds) {
        super(client, settings, serverPid);
        latency = new Histogram[rounds];
        lateness = new Histogram[rounds];
        sampledIn = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            latency[r] = new Histogram(HIGHEST_NANOS, 3);
            lateness[r] = new Histogram(HIGHEST_NANOS, 3);
        }
        expectEveryFrame(ClientFrames.TEXT, FixedRateScenario.PAYLOAD);
    }

    @Override
    String id() {
        return Scenarios.FIXED_RATE;
    }

    /** Opens the lane's connections; {@link FixedRateScenario} sends on them. */
    @Override
    void execute() throws InterruptedException {
        int n = settings.connections();
        openConnections(n, "/echo", 64);
        client.onLoop(() -> {
            inFlight = new InFlight[n];
            for (int i = 0; i < n; i++) {
                inFlight[i] = new InFlight();
            }
        });
    }

    /**
     * Writes one message on the lane's next connection, without flushing.
     *
     * @param frame the pre-built masked frame
     * @param due when the message was due
     * @param round the measured round it counts in, or -1 during the warm-up
     * @return the channel written to, to flush, or null if the lane failed
     */
    Channel send(ByteBuf frame, long due, int round) {
        WsConnection c = connections.get(nextConnection);
        nextConnection = (nextConnection + 1) % connections.size();
        long sent = System.nanoTime();
        if (round >= 0) {
            lateness[round].recordValue(Math.min(sent - due, HIGHEST_NANOS));
        }
        if (!inFlight[c.id].push(sent, round)) {
            c.problem("more than " + MAX_PENDING_PER_CONNECTION + " messages unanswered on one connection");
            return null;
        }
        c.channel().write(frame.retainedDuplicate(), c.channel().voidPromise());
        inFlightCount++;
        return c.channel();
    }

    @Override
    public void echo(WsConnection c, boolean wasSampled) {
        long now = System.nanoTime();
        InFlight queue = inFlight[c.id];
        if (queue.size == 0) {
            c.problem("echo received with no message in flight");
            return;
        }
        int round = queue.headRound();
        long sent = queue.pop();
        inFlightCount--;
        if (round >= 0) {
            latency[round].recordValue(Math.min(now - sent, HIGHEST_NANOS));
            if (wasSampled) {
                sampledIn[round]++;
            }
        }
    }

    /** @return messages sent and not yet echoed */
    long inFlight() {
        return inFlightCount;
    }

    /**
     * @param round a measured round
     * @return how many of its messages were echoed
     */
    long echoed(int round) {
        return latency[round].getTotalCount();
    }

    /**
     * Adds the round's latency figures to a result's metrics: percentiles of latency, and of the generator's lateness
     * in sending, in microseconds.
     *
     * @param round a measured round
     * @param into the metrics
     */
    void putFigures(int round, Map<String, Double> into) {
        Histogram h = latency[round];
        Histogram late = lateness[round];
        into.put("p50_us", h.getValueAtPercentile(50) / 1e3);
        into.put("p99_us", h.getValueAtPercentile(99) / 1e3);
        into.put("p999_us", h.getValueAtPercentile(99.9) / 1e3);
        into.put("max_us", h.getMaxValue() / 1e3);
        into.put("mean_us", h.getMean() / 1e3);
        into.put("late_p50_us", late.getValueAtPercentile(50) / 1e3);
        into.put("late_p99_us", late.getValueAtPercentile(99) / 1e3);
        into.put("late_p999_us", late.getValueAtPercentile(99.9) / 1e3);
        into.put("measured", (double) h.getTotalCount());
        into.put(ScenarioResult.VERIFIED, (double) h.getTotalCount());
        into.put(ScenarioResult.SAMPLED, (double) sampledIn[round]);
    }

    /** The messages in flight on one connection, oldest first: when each was sent and the round it counts in. */
    private static final class InFlight {
        private long[] sentAt = new long[16];
        private int[] rounds = new int[16];
        private int head;
        private int size;

        boolean push(long sent, int round) {
            if (size == sentAt.length) {
                if (size >= MAX_PENDING_PER_CONNECTION) {
                    return false;
                }
                int capacity = Math.min(size * 2, MAX_PENDING_PER_CONNECTION);
                long[] grownSent = new long[capacity];
                int[] grownRounds = new int[capacity];
                for (int i = 0; i < size; i++) {
                    grownSent[i] = sentAt[(head + i) % size];
                    grownRounds[i] = rounds[(head + i) % size];
                }
                sentAt = grownSent;
                rounds = grownRounds;
                head = 0;
            }
            int tail = (head + size) % sentAt.length;
            sentAt[tail] = sent;
            rounds[tail] = round;
            size++;
            return true;
        }

        int headRound() {
            return rounds[head];
        }

        long pop() {
            long sent = sentAt[head];
            head = (head + 1) % sentAt.length;
            size--;
            return sent;
        }
    }
}
