package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

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
 * ({@code late_p50_us}, {@code late_p99_us}, {@code late_p999_us}). A stall of the generator (descheduled by the
 * hypervisor, compiling, collecting) delays both its sends and its reading of echoes; so where the lateness at a
 * percentile is half that percentile's latency or more, the report marks the latency as bounded by the generator.
 *
 * <p>Sending in millisecond ticks rather than one message every 100 us keeps the generator's timer wake-ups, which
 * are costly on a virtual machine, from making it late; the price is a burst of 10 messages per millisecond, the same
 * for every server.
 */
final class FixedRateScenario extends ConnectionScenario {
    /** More queued messages than this on one connection means the server stopped answering. */
    private static final int MAX_PENDING_PER_CONNECTION = 100_000;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final byte[] payload = ClientFrames.textPayload(32, 32);
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    /** How late the generator sent each measured message, against its schedule. */
    private final Histogram lateness = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final ArrayDeque<Channel> dirty = new ArrayDeque<>();
    private ByteBuf frame;
    private long[][] pending;
    private int[] head;
    private int[] size;
    private long startNanos;
    private long measureFromNanos;
    private long total;
    private long next;
    private long inFlight;
    private long measured;
    private long received;
    private long sampled;

    FixedRateScenario(LoadClient client, LoadSettings settings, long serverPid) {
        super(client, settings, serverPid);
        expectEveryFrame(ClientFrames.TEXT, payload);
    }

    @Override
    String id() {
        return "rate10k";
    }


    @Override
    void execute() throws InterruptedException {
        int n = settings.connections();
        frame = ClientFrames.burst(ClientFrames.masked(ClientFrames.TEXT, payload, 0x1B2C3D4E), 1);
        pending = new long[n][16];
        head = new int[n];
        size = new int[n];
        try {
            openConnections(n, "/echo", 64);
            if (hasErrors()) {
                return;
            }
            long warmupCount = settings.rate() * settings.warmup().toNanos() / 1_000_000_000L;
            long measureCount = Math.min(settings.maxMessages(),
                    settings.rate() * settings.measure().toNanos() / 1_000_000_000L);
            client.onLoop(() -> {
                startNanos = System.nanoTime();
                measureFromNanos = intended(warmupCount);
                total = warmupCount + measureCount;
                tick();
            });
            Thread.sleep(settings.warmup().toMillis());
            Interval.Mark start = client.onLoop(() -> Interval.Mark.take(received, serverPid));
            await(() -> hasErrors() || client.onLoop(() -> next >= total), settings.measure().plusSeconds(1));
            Interval.Mark end = client.onLoop(() -> Interval.Mark.take(received, serverPid));
            drain(() -> inFlight == 0);
            Interval interval = new Interval(start, end);
            recordCpu(interval);
            client.onLoop(() -> {
                metrics.put("p50_us", histogram.getValueAtPercentile(50) / 1e3);
                metrics.put("p99_us", histogram.getValueAtPercentile(99) / 1e3);
                metrics.put("p999_us", histogram.getValueAtPercentile(99.9) / 1e3);
                metrics.put("max_us", histogram.getMaxValue() / 1e3);
                metrics.put("mean_us", histogram.getMean() / 1e3);
                metrics.put("late_p50_us", lateness.getValueAtPercentile(50) / 1e3);
                metrics.put("late_p99_us", lateness.getValueAtPercentile(99) / 1e3);
                metrics.put("late_p999_us", lateness.getValueAtPercentile(99.9) / 1e3);
                metrics.put("measured", (double) measured);
                metrics.put("msgs_per_s", measured / (measureCount / (double) settings.rate()));
                metrics.put(ScenarioResult.VERIFIED, (double) received);
                metrics.put(ScenarioResult.SAMPLED, (double) sampled);
            });
            if (client.onLoop(() -> measured) < measureCount) {
                error("only " + measured + " of " + measureCount + " measured messages were echoed");
            }
        } finally {
            client.onLoop(() -> frame.release());
        }
    }

    /** @return when message {@code index} is due: at the start of the millisecond tick it falls in */
    private long intended(long index) {
        return startNanos + index * 1000 / settings.rate() * TICK_NANOS;
    }

    /** Sends every message that is due, then sleeps until the next one is. */
    private void tick() {
        if (stopping) {
            return;
        }
        long now = System.nanoTime();
        int n = connections.size();
        while (next < total && intended(next) <= now) {
            WsConnection c = connections.get((int) (next % n));
            long due = intended(next);
            long sent = System.nanoTime();
            if (due >= measureFromNanos) {
                lateness.recordValue(Math.min(sent - due, lateness.getHighestTrackableValue()));
            }
            if (!push(c.id, sent)) {
                c.problem("more than " + MAX_PENDING_PER_CONNECTION + " messages unanswered on one connection");
                return;
            }
            c.channel().write(frame.retainedDuplicate(), c.channel().voidPromise());
            dirty.add(c.channel());
            inFlight++;
            next++;
        }
        for (Channel ch; (ch = dirty.poll()) != null; ) {
            ch.flush();
        }
        if (next < total) {
            client.loop().schedule(this::tick, intended(next) - now, TimeUnit.NANOSECONDS);
        }
    }

    private boolean push(int c, long sendTime) {
        if (size[c] == pending[c].length) {
            if (size[c] >= MAX_PENDING_PER_CONNECTION) {
                return false;
            }
            long[] grown = new long[size[c] * 2];
            for (int i = 0; i < size[c]; i++) {
                grown[i] = pending[c][(head[c] + i) % size[c]];
            }
            pending[c] = grown;
            head[c] = 0;
        }
        pending[c][(head[c] + size[c]) % pending[c].length] = sendTime;
        size[c]++;
        return true;
    }

    @Override
    public void echo(WsConnection c, boolean wasSampled) {
        long now = System.nanoTime();
        int i = c.id;
        if (size[i] == 0) {
            c.problem("echo received with no message in flight");
            return;
        }
        long sent = pending[i][head[i]];
        head[i] = (head[i] + 1) % pending[i].length;
        size[i]--;
        inFlight--;
        received++;
        if (wasSampled) {
            sampled++;
        }
        // Every message due in the measured interval is sent in it, and so measured.
        if (sent - measureFromNanos >= 0) {
            histogram.recordValue(Math.min(now - sent, histogram.getHighestTrackableValue()));
            measured++;
        }
    }
}
