package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Open-loop latency at a fixed rate: every millisecond, {@code rate / 1000} messages are due (10 at 10,000/s), each
 * on the next connection in turn, whatever the server's progress. The generator never waits for an echo before
 * sending, so a server stall delays every message sent during it and shows in the percentiles (no coordinated
 * omission).
 *
 * <p>Each latency runs from the moment the message is handed to the socket to the arrival of its echo. Measuring
 * from the intended send time instead would add the generator's own lateness: its timer wakes up to a millisecond
 * late on this machine (epoll timeouts are whole milliseconds), which is the same for every server and buried the
 * servers' differences under half a millisecond at the median. That lateness is reported apart
 * ({@code late_p50_us}, {@code late_p99_us}, {@code late_p999_us}).
 *
 * <p><b>Several servers at once.</b> On a shared virtual machine the tail of this scenario is mostly stalls that
 * are no server's doing: the hypervisor takes a CPU away for milliseconds, the generator's JIT competes with its
 * event loop. Measured one server after another, seconds or minutes apart, each server meets different stalls, and
 * the p99s follow the stalls. Given several servers (each a {@link RateLane}, all running at once on the same CPU),
 * this scenario makes them take turns instead: by default each millisecond tick's messages go to one server, the
 * next tick's to another, every server once per cycle in a shuffled order. A stall longer than a cycle (n ms for n servers) lands on
 * every server alike, and shorter ones spread over them evenly: the absolute percentiles still include the stalls,
 * but their ratios compare the servers. (Turns of 50 ms left each stall to one server, and two copies of the same
 * server differed by a quarter at p99.) Each server still receives the same bursts of 10 messages a millisecond
 * apart as when measured alone, only with idle milliseconds between them; its CPU over its own turns is what 10,000
 * messages/s would cost it. Every measured round gives each server {@code measure} seconds of turns.
 *
 * <p>Sending in millisecond ticks rather than one message every 100 us keeps the generator's timer wake-ups, which
 * are costly on a virtual machine, from making it late; the price is a burst of 10 messages per millisecond, the same
 * for every server.
 */
public final class FixedRateScenario {
    /** The length of one server's turn when several share the load: one tick. */
    public static final Duration DEFAULT_SLICE = Duration.ofMillis(1);
    /** The text every message carries. */
    static final byte[] PAYLOAD = ClientFrames.textPayload(32, 32);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final List<RateLane> lanes;
    private final LoadClient loop;
    private final LoadSettings settings;
    private final int rounds;
    private final long sliceNanos;
    private final long warmupNanos;
    private final long roundNanos;
    private final long laneNanos;
    private final long total;
    private final ArrayDeque<Channel> dirty = new ArrayDeque<>();
    private ByteBuf frame;
    private long cycle = -1;
    private int[] cycleOrder;
    private long startNanos;
    private long next;
    /** Set on the loop when the run ends, normally or not: a tick still scheduled then sends nothing. */
    private boolean stopped;

    /**
     * @param lanes one per server, their clients on one event loop ({@link LoadClient#sibling})
     * @param settings rate, connections per server, warm-up and measured time per server and round; the measured
     *     time per server and round is also capped at {@link LoadSettings#maxMessages()} messages
     * @param rounds measured rounds, one after another without a pause
     * @param slice the length of one server's turn (ignored with one server)
     */
    FixedRateScenario(List<RateLane> lanes, LoadSettings settings, int rounds, Duration slice) {
        if (lanes.isEmpty() || rounds < 1 || slice.toMillis() < 1) {
            throw new IllegalArgumentException("need a lane, a round and a slice of 1 ms or more");
        }
        if (lanes.size() > 1 && settings.rate() % 1000 != 0) {
            // Otherwise ticks carry different numbers of messages, and the turns give the servers unequal shares.
            throw new IllegalArgumentException("side by side, the rate must be a whole number of messages per"
                    + " millisecond, got " + settings.rate() + "/s");
        }
        this.lanes = List.copyOf(lanes);
        this.loop = lanes.get(0).client;
        this.settings = settings;
        this.rounds = rounds;
        int n = lanes.size();
        long laneMs = Math.max(1, Math.min(settings.measure().toMillis(),
                ceilDiv(settings.maxMessages() * 1000, settings.rate())));
        long warmupMs = settings.warmup().toMillis();
        long sliceMs;
        long slicesPerLane;
        if (n == 1) {
            sliceMs = laneMs;
            slicesPerLane = 1;
        } else {
            sliceMs = Math.min(slice.toMillis(), laneMs);
            slicesPerLane = ceilDiv(laneMs, sliceMs);
            // Whole cycles, so that the warm-up too gives every server the same share.
            warmupMs = ceilDiv(warmupMs * n, sliceMs * n) * sliceMs * n;
        }
        this.sliceNanos = TimeUnit.MILLISECONDS.toNanos(sliceMs);
        this.laneNanos = slicesPerLane * sliceNanos;
        this.roundNanos = laneNanos * n;
        this.warmupNanos = TimeUnit.MILLISECONDS.toNanos(warmupMs);
        long totalMs = warmupMs + rounds * slicesPerLane * sliceMs * n;
        this.total = ceilDiv(totalMs * settings.rate(), 1000);
    }

    /**
     * The scenario against one server, measured once.
     *
     * @param client the generator's transport to the server
     * @param settings durations and sizes
     * @param serverPid the server's process id
     * @return what was measured
     * @throws InterruptedException if interrupted
     */
    static ScenarioResult single(LoadClient client, LoadSettings settings, long serverPid)
            throws InterruptedException {
        RateLane lane = new RateLane(client, settings, serverPid, 1);
        return new FixedRateScenario(List.of(lane), settings, 1, DEFAULT_SLICE).run().get(0).get(0);
    }

    /**
     * Several servers measured side by side, taking turns in slices. A server's failure (a closed connection, a
     * message not echoed) fails all of its rounds, not only the one it happened in: its later figures would not be
     * comparable, and a failure is rare enough to rerun.
     *
     * @param clients the generator's transport to each server, all on one event loop
     * @param serverPids each server's process id, in the same order
     * @param settings durations and sizes; {@code warmup} and {@code measure} are per server and round
     * @param rounds measured rounds
     * @param slice the length of one server's turn
     * @return for each server, in order, one result per round
     * @throws InterruptedException if interrupted
     */
    public static List<List<ScenarioResult>> interleaved(List<LoadClient> clients, List<Long> serverPids,
            LoadSettings settings, int rounds, Duration slice) throws InterruptedException {
        List<RateLane> lanes = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            lanes.add(new RateLane(clients.get(i), settings, serverPids.get(i), rounds));
        }
        return new FixedRateScenario(lanes, settings, rounds, slice).run();
    }

    private List<List<ScenarioResult>> run() throws InterruptedException {
        Interval.Mark[][] marks = new Interval.Mark[rounds + 1][];
        try {
            for (RateLane lane : lanes) {
                try {
                    lane.execute();
                } catch (IllegalStateException e) {
                    lane.error(e.getMessage());
                }
            }
            if (!allFailed()) {
                long start = loop.onLoop(() -> {
                    frame = ClientFrames.burst(ClientFrames.masked(ClientFrames.TEXT, PAYLOAD, 0x1B2C3D4E), 1);
                    startNanos = System.nanoTime();
                    tick();
                    return startNanos;
                });
                // CPU readings at the round boundaries, taken on this thread: the event loop only sends and reads.
                for (int r = 0; r <= rounds && !allFailed(); r++) {
                    sleepUntil(start + warmupNanos + r * roundNanos);
                    marks[r] = marksNow();
                }
                if (!ConnectionScenario.await(() -> allFailed() || loop.onLoop(() -> next >= total),
                        ConnectionScenario.GRACE)) {
                    lanes.forEach(lane -> lane.error("the generator fell more than "
                            + ConnectionScenario.GRACE.toSeconds() + " s behind its schedule"));
                }
                for (RateLane lane : lanes) {
                    lane.drain(() -> lane.hasErrors() || lane.inFlight() == 0);
                }
            }
        } finally {
            for (RateLane lane : lanes) {
                lane.closeAll();
            }
            loop.onLoop(() -> {
                stopped = true;
                if (frame != null) {
                    frame.release();
                }
            });
        }
        return loop.onLoop(() -> results(marks));
    }

    /** Sends every message that is due, each to the server whose turn its due time falls in, then sleeps. */
    private void tick() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        while (next < total && intended(next) <= now) {
            long due = intended(next);
            RateLane lane = lanes.get(laneAt(due - startNanos));
            if (!lane.hasErrors()) {
                Channel written = lane.send(frame, due, roundAt(due - startNanos));
                if (written != null) {
                    dirty.add(written);
                }
            }
            next++;
        }
        for (Channel ch; (ch = dirty.poll()) != null; ) {
            ch.flush();
        }
        if (next < total && !allFailed()) {
            loop.loop().schedule(this::tick, intended(next) - now, TimeUnit.NANOSECONDS);
        }
    }

    /** @return when message {@code index} is due: at the start of the millisecond tick it falls in */
    private long intended(long index) {
        return startNanos + index * 1000 / settings.rate() * TICK_NANOS;
    }

    private int laneAt(long offsetNanos) {
        int n = lanes.size();
        long slice = offsetNanos / sliceNanos;
        if (slice / n != cycle) {
            cycle = slice / n;
            cycleOrder = order(cycle, n);
        }
        return cycleOrder[(int) (slice % n)];
    }

    /**
     * The order in which the lanes take their turns in one cycle: a shuffle seeded by the cycle's number, so that
     * every run repeats it and, over many cycles, each lane follows every other one equally often. (A server slow
     * to finish its turn delays the next one's first messages; a fixed or merely rotated order would always hand
     * that delay to the same servers.)
     *
     * @param cycle the cycle's index from the start
     * @param lanes how many lanes take turns
     * @return each lane once
     */
    static int[] order(long cycle, int lanes) {
        int[] order = new int[lanes];
        for (int i = 0; i < lanes; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(cycle);
        for (int i = lanes - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** @return the measured round a due time falls in, or -1 in the warm-up */
    private int roundAt(long offsetNanos) {
        return offsetNanos < warmupNanos ? -1 : (int) Math.min(rounds - 1, (offsetNanos - warmupNanos) / roundNanos);
    }

    private boolean allFailed() {
        for (RateLane lane : lanes) {
            if (!lane.hasErrors()) {
                return false;
            }
        }
        return true;
    }

    private void sleepUntil(long deadline) throws InterruptedException {
        for (long left; (left = deadline - System.nanoTime()) > 0 && !allFailed(); ) {
            Thread.sleep(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    private Interval.Mark[] marksNow() {
        Interval.Mark[] now = new Interval.Mark[lanes.size()];
        for (int i = 0; i < now.length; i++) {
            now[i] = Interval.Mark.take(0, lanes.get(i).serverPid);
        }
        return now;
    }

    private List<List<ScenarioResult>> results(Interval.Mark[][] marks) {
        int n = lanes.size();
        List<List<ScenarioResult>> all = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            RateLane lane = lanes.get(l);
            List<ScenarioResult> perRound = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                Map<String, Double> m = new LinkedHashMap<>();
                if (marks[r] != null && marks[r + 1] != null) {
                    Interval interval = new Interval(marks[r][l], marks[r + 1][l]);
                    // The server's CPU over its own turns: each has 1/n of the round.
                    m.put(ScenarioResult.SERVER_CPU, interval.serverCpuPercent() * n);
                    m.put(ScenarioResult.GENERATOR_CPU, interval.generatorCpuPercent());
                    m.put(ScenarioResult.SERVER_WAIT, interval.serverWaitPercent() * n);
                    m.put(ScenarioResult.SERVER_JIT, interval.serverJitPercent() * n);
                    m.put(ScenarioResult.GENERATOR_WAIT, interval.generatorWaitPercent());
                    m.put(ScenarioResult.STEAL, interval.stealPercent());
                }
                lane.putFigures(r, m);
                m.put("msgs_per_s", lane.echoed(r) / (laneNanos / 1e9));
                m.put(ScenarioResult.INTERLEAVED, (double) n);
                if (n > 1) {
                    m.put("slice_ms", sliceNanos / 1e6);
                }
                perRound.add(new ScenarioResult(Scenarios.FIXED_RATE, m, lane.errorCount(), lane.firstError()));
            }
            all.add(perRound);
        }
        return all;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
