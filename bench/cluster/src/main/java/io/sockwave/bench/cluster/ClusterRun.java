package io.sockwave.bench.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The phases of one system's run, in order: two batches of idle members with a memory reading after each, the
 * fixed rate, the Redis pause, the ramp of rates, and last the node kill (the cluster has a node less after it).
 * Load keeps flowing during both faults. Every wait is bounded.
 */
final class ClusterRun {
    private static final long POLL_MILLIS = 20;
    /** A ramp step whose cross-node p99 is over this is overloaded: the ramp stops there. */
    private static final double RAMP_STOP_MILLIS = 1_000;
    /** A ramp step that receives less than this share of the deliveries offered is overloaded. */
    private static final double SUSTAINED = 0.9;

    private final Fleet fleet;
    private final Settings settings;
    private final Results results;
    private final long redisPid;

    ClusterRun(Fleet fleet, Settings settings, Results results, long redisPid) {
        this.fleet = fleet;
        this.settings = settings;
        this.results = results;
        this.redisPid = redisPid;
    }

    void run() throws IOException, InterruptedException {
        results.put("load.start", NodeProbe.loadAverage());
        memory();
        fixedRate();
        redisPause();
        ramp();
        nodeKill();
        Fleet.Counters end = fleet.onLoop(fleet::counters);
        results.put("total.deliveries", end.deliveries());
        results.put("total.duplicates", end.duplicates());
        results.put("total.resets", end.resets());
        results.put("total.problems", end.problems());
        if (end.firstProblem() != null) {
            results.put("total.first_problem", end.firstProblem());
        }
        results.put("load.end", NodeProbe.loadAverage());
    }

    private void memory() throws IOException, InterruptedException {
        int first = settings.clients() / 2;
        int second = settings.clients() - first;
        long started = System.nanoTime();
        connect(first);
        results.put("connect.first_batch_s", seconds(System.nanoTime() - started));
        long[] before = readMemory();
        started = System.nanoTime();
        connect(second);
        results.put("connect.second_batch_s", seconds(System.nanoTime() - started));
        long[] after = readMemory();
        results.put("memory.batch", second);
        results.put("memory.rss_before", before[0]);
        results.put("memory.rss_after", after[0]);
        results.put("memory.heap_before", before[1]);
        results.put("memory.heap_after", after[1]);
        results.put("memory.rss_per_connection", (after[0] - before[0]) / (double) second);
        results.put("memory.heap_per_connection", (after[1] - before[1]) / (double) second);
        results.put("load.memory", NodeProbe.loadAverage());
    }

    private void connect(int count) throws InterruptedException {
        int target = fleet.onLoop(() -> fleet.clients().size()) + count;
        fleet.onLoop(() -> fleet.addMembers(count));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (fleet.onLoop(fleet::openCount) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + fleet.onLoop(fleet::openCount) + " of " + target
                        + " members joined within 180 s; " + fleet.onLoop(fleet::counters));
            }
            Thread.sleep(50);
        }
        // The join events of the batch are still being fanned out to the members already there.
        awaitQuiet();
    }

    /** @return the nodes' summed RSS and summed live heap, after the settle time */
    private long[] readMemory() throws IOException, InterruptedException {
        sleep(settings.settle());
        long rss = 0;
        long heap = 0;
        for (Node node : fleet.nodes()) {
            heap += NodeProbe.liveHeapBytes(node);
        }
        // RSS after the collections, which may return freed heap to the system.
        sleep(settings.settle());
        for (Node node : fleet.nodes()) {
            rss += NodeProbe.rssBytes(node.pid());
        }
        return new long[] {rss, heap};
    }

    private void fixedRate() throws InterruptedException {
        startLoad(settings.fixedRate());
        sleep(settings.warmup());
        Window window = measureWindow(settings.measure());
        fleet.stopLoad();
        window.put(results, "fixed", settings.fixedRate());
        results.put("load.fixed", NodeProbe.loadAverage());
        awaitQuiet();
    }

    /**
     * Offers each rate in turn. The ramp goes on past the 50 ms limit, to draw the curve, and stops at the first
     * step that is overloaded: p99 over {@link #RAMP_STOP_MILLIS}, or less than {@link #SUSTAINED} of the offered
     * deliveries received.
     */
    private void ramp() throws InterruptedException {
        int bestWithinLimit = 0;
        int bestSustained = 0;
        for (int rate : settings.rampRates()) {
            startLoad(rate);
            sleep(1);
            Window window = measureWindow(settings.rampStep());
            fleet.stopLoad();
            window.put(results, "ramp." + rate, rate);
            results.put("ramp." + rate + ".loadavg", NodeProbe.loadAverage());
            double p99Millis = window.crossNode.getValueAtPercentile(99) / 1000.0;
            boolean measured = window.crossNode.getTotalCount() > 0;
            boolean sustained = measured && window.deliveriesPerSecond >= SUSTAINED * rate;
            if (sustained) {
                bestSustained = Math.max(bestSustained, (int) window.deliveriesPerSecond);
            }
            if (sustained && p99Millis <= settings.rampLimitMillis()) {
                bestWithinLimit = Math.max(bestWithinLimit, (int) window.deliveriesPerSecond);
            }
            awaitQuiet();
            if (!sustained || p99Millis > RAMP_STOP_MILLIS) {
                break;
            }
        }
        results.put("ramp.best_deliveries_per_s", bestWithinLimit);
        results.put("ramp.best_sustained_per_s", bestSustained);
    }

    private void redisPause() throws IOException, InterruptedException {
        startLoad(settings.fixedRate());
        sleep(settings.faultLead());
        int[] from = fleet.onLoop(() -> Coverage.nextMessages(fleet.rooms()));
        Fleet.Counters before = fleet.onLoop(fleet::counters);
        NodeProbe.signal(redisPid, "STOP");
        try {
            sleep(settings.pauseSeconds());
        } finally {
            NodeProbe.signal(redisPid, "CONT");
        }
        long resumed = System.nanoTime();
        int[] through = fleet.onLoop(() -> {
            int[] last = Coverage.nextMessages(fleet.rooms());
            for (int i = 0; i < last.length; i++) {
                last[i]--;
            }
            return last;
        });
        Coverage.Gap gap = awaitGap(() -> Coverage.between(fleet.clients(), from, through, false), resumed);
        fleet.stopLoad();
        awaitQuiet();
        Fleet.Counters after = fleet.onLoop(fleet::counters);
        Coverage.Gap end = fleet.onLoop(() -> Coverage.between(fleet.clients(), from, through, false));
        results.put("pause.seconds", settings.pauseSeconds());
        results.put("pause.drained_ms", gap.closed() ? millis(System.nanoTime() - resumed) : -1);
        results.put("pause.missing_at_end", end.missing());
        results.put("pause.refused", after.refused() - before.refused());
        results.put("pause.closes", after.closes() - before.closes());
        results.put("load.pause", NodeProbe.loadAverage());
    }

    private void nodeKill() throws IOException, InterruptedException {
        startLoad(settings.fixedRate());
        sleep(settings.faultLead());
        int victim = 0;
        Node node = fleet.nodes().get(victim);
        List<ChatClient> affected = new ArrayList<>();
        List<ChatClient> others = new ArrayList<>();
        int[] from = fleet.onLoop(() -> {
            for (ChatClient c : fleet.clients()) {
                (c.node == victim ? affected : others).add(c);
            }
            fleet.markDead(victim);
            return Coverage.nextMessages(fleet.rooms());
        });
        Fleet.Counters before = fleet.onLoop(fleet::counters);
        long killed = System.nanoTime();
        NodeProbe.signal(node.pid(), "KILL");
        long deadline = killed + (long) (settings.faultTimeout() * 1e9);
        long allBack = -1;
        long caughtUp = -1;
        // Without replay a member never catches up; its losses are counted a grace period after the last is back.
        long grace = TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline) {
            Coverage.Gap gap = fleet.onLoop(() -> Coverage.sinceRejoin(affected, from, killed));
            long now = System.nanoTime();
            if (allBack < 0 && gap.membersAway() == 0) {
                allBack = fleet.onLoop(() -> affected.stream().mapToLong(c -> c.joinedNanos).max().orElse(now));
            }
            if (gap.closed()) {
                caughtUp = now;
                break;
            }
            if (!fleet.wire().replays() && allBack >= 0 && now - allBack > grace) {
                break;
            }
            Thread.sleep(POLL_MILLIS);
        }
        fleet.stopLoad();
        awaitQuiet();
        Fleet.Counters after = fleet.onLoop(fleet::counters);
        Coverage.Gap lost = fleet.onLoop(() -> Coverage.sinceRejoin(affected, from, killed));
        int[] through = fleet.onLoop(() -> {
            int[] last = Coverage.nextMessages(fleet.rooms());
            for (int i = 0; i < last.length; i++) {
                last[i]--;
            }
            return last;
        });
        Coverage.Gap othersLost = fleet.onLoop(() -> Coverage.between(others, from, through, true));
        results.put("kill.members", affected.size());
        results.put("kill.reconnected_ms", allBack < 0 ? -1 : millis(allBack - killed));
        results.put("kill.caught_up_ms", caughtUp < 0 ? -1 : millis(caughtUp - killed));
        results.put("kill.members_away_at_end", lost.membersAway());
        results.put("kill.lost_deliveries", lost.missing());
        results.put("kill.lost_deliveries_per_member", lost.missing() / (double) affected.size());
        results.put("kill.others_lost_deliveries", othersLost.missing());
        results.put("kill.duplicates", after.duplicates() - before.duplicates());
        results.put("kill.resets", after.resets() - before.resets());
        results.put("kill.refused", after.refused() - before.refused());
        results.put("load.kill", NodeProbe.loadAverage());
    }

    private Coverage.Gap awaitGap(java.util.concurrent.Callable<Coverage.Gap> check, long from)
            throws InterruptedException {
        long deadline = from + (long) (settings.faultTimeout() * 1e9);
        Coverage.Gap gap = fleet.onLoop(check);
        while (!gap.closed() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
            gap = fleet.onLoop(check);
        }
        return gap;
    }

    private void startLoad(int deliveriesPerSecond) {
        double messagesPerSecond = deliveriesPerSecond / (double) settings.roomSize();
        fleet.onLoop(() -> fleet.startLoad(messagesPerSecond));
    }

    private Window measureWindow(double seconds) throws InterruptedException {
        Fleet.Counters before = fleet.onLoop(fleet::counters);
        fleet.onLoop(fleet::startRecording);
        long start = System.nanoTime();
        sleep(seconds);
        Histogram[] histograms = fleet.onLoop(fleet::stopRecording);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Fleet.Counters after = fleet.onLoop(fleet::counters);
        return new Window(histograms[0], histograms[1], (after.deliveries() - before.deliveries()) / elapsed,
                after.closes() - before.closes(), after.skipped() - before.skipped());
    }

    /**
     * Waits until no frame arrived for half a second (at most 30 s): the previous load, and the join and leave
     * events a batch of members or a fault caused, have drained.
     */
    private void awaitQuiet() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = fleet.onLoop(fleet::counters).frames();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = fleet.onLoop(fleet::counters).frames();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= TimeUnit.MILLISECONDS.toNanos(500)) {
                return;
            }
        }
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** One measured interval: latencies in microseconds, the delivery rate reached, members cut off. */
    private record Window(Histogram crossNode, Histogram every, double deliveriesPerSecond, long closes,
                          long skipped) {
        void put(Results results, String prefix, int offered) {
            results.put(prefix + ".offered", offered);
            results.put(prefix + ".achieved", deliveriesPerSecond);
            results.put(prefix + ".cross_count", crossNode.getTotalCount());
            results.put(prefix + ".cross_p50_ms", crossNode.getValueAtPercentile(50) / 1000.0);
            results.put(prefix + ".cross_p99_ms", crossNode.getValueAtPercentile(99) / 1000.0);
            results.put(prefix + ".cross_p999_ms", crossNode.getValueAtPercentile(99.9) / 1000.0);
            results.put(prefix + ".cross_max_ms", crossNode.getMaxValue() / 1000.0);
            results.put(prefix + ".all_p50_ms", every.getValueAtPercentile(50) / 1000.0);
            results.put(prefix + ".all_p99_ms", every.getValueAtPercentile(99) / 1000.0);
            results.put(prefix + ".closes", closes);
            results.put(prefix + ".skipped_sends", skipped);
        }
    }
}
