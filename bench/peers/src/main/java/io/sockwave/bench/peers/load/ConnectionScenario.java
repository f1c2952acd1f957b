package io.sockwave.bench.peers.load;

import io.netty.channel.ChannelFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What the scenarios share: opening connections with bounded concurrency, measuring an interval with CPU use,
 * counting failures, and closing everything. The scenario's state lives on the client's one event loop; the
 * scenario's own thread only starts, waits and reads snapshots taken on the loop, so no field needs a lock.
 */
abstract class ConnectionScenario implements WsConnection.Events {
    /** How long connections may take to open or close, and in-flight messages to drain, before it is an error. */
    static final Duration GRACE = Duration.ofSeconds(15);

    final LoadClient client;
    final LoadSettings settings;
    final long serverPid;
    final List<WsConnection> connections = new ArrayList<>();
    final Map<String, Double> metrics = new LinkedHashMap<>();
    /** Set on the loop when the scenario stops sending; connections closing after it are expected. */
    boolean stopping;

    private volatile int opened;
    private volatile long errors;
    private volatile String firstError;
    private int toOpen;
    private String path;
    private int expectedOpcode;
    private byte[] expectedPayload;

    ConnectionScenario(LoadClient client, LoadSettings settings, long serverPid) {
        this.client = client;
        this.settings = settings;
        this.serverPid = serverPid;
    }

    /** @return the scenario's id */
    abstract String id();

    /**
     * Runs the scenario; every wait inside is bounded.
     *
     * @throws InterruptedException if interrupted
     */
    abstract void execute() throws InterruptedException;

    /**
     * @return the scenario's result, connections closed
     * @throws InterruptedException if interrupted
     */
    final ScenarioResult run() throws InterruptedException {
        try {
            execute();
        } catch (IllegalStateException e) {
            error(e.getMessage());
        } finally {
            closeAll();
        }
        return new ScenarioResult(id(), metrics, errors, firstError);
    }

    /**
     * Creates the handler of connection number {@code id}, with the expectations of {@link #expectEveryFrame}.
     *
     * @param id the connection's index
     * @param upgrade its prepared handshake
     * @return the handler
     */
    WsConnection newConnection(int id, Upgrade upgrade) {
        WsConnection c = new WsConnection(id, upgrade, this);
        if (expectedPayload != null) {
            c.reader().expect(expectedOpcode, expectedPayload, settings.sampleEvery());
        }
        return c;
    }

    /**
     * Makes every connection opened from now on check that each frame it reads has this opcode and length, and
     * compare a sample of payloads byte for byte.
     *
     * @param opcode the expected opcode
     * @param payload the expected payload
     */
    final void expectEveryFrame(int opcode, byte[] payload) {
        this.expectedOpcode = opcode;
        this.expectedPayload = payload;
    }

    /** Opens a wave of connections whose memory is measured. */
    @FunctionalInterface
    interface Wave {
        /**
         * @return whether the wave opened; if not, its error is recorded
         * @throws InterruptedException if interrupted
         */
        boolean open() throws InterruptedException;
    }

    /**
     * Records the server's resident memory per connection across a wave of {@code n} connections
     * ({@code bytes_per_conn}, with the RSS on each side) and, for a JVM, its live heap per connection after a full
     * collection ({@code live_heap_bytes_per_conn}; {@link HeapProbe}). The live heap is read before the first RSS
     * reading and after the last: the full collection and jcmd's attach (its thread, the attach listener's, on first
     * use) grow the RSS by megabytes of their own, which would otherwise count against the connections.
     *
     * @param n the wave's connections
     * @param wave opens them
     * @return whether the wave opened
     * @throws InterruptedException if interrupted
     */
    final boolean measureWave(int n, Wave wave) throws InterruptedException {
        boolean jvm = HeapProbe.isJvm(serverPid);
        long heapBefore = jvm ? HeapProbe.liveHeapBytes(serverPid) : 0;
        long before = ProcStat.residentBytes(serverPid);
        if (!wave.open()) {
            return false;
        }
        long after = ProcStat.residentBytes(serverPid);
        long heapAfter = jvm ? HeapProbe.liveHeapBytes(serverPid) : 0;
        metrics.put("rss_before_mib", before / 1048576.0);
        metrics.put("rss_after_mib", after / 1048576.0);
        metrics.put("bytes_per_conn", (after - before) / (double) n);
        if (jvm) {
            metrics.put("live_heap_bytes_per_conn", (heapAfter - heapBefore) / (double) n);
        }
        return true;
    }

    /**
     * @param expected how many connections should be open
     * @return whether they all still are; if not, an error is recorded
     */
    final boolean allStillOpen(int expected) {
        long stillOpen = client.onLoop(() -> connections.stream().filter(c -> c.channel().isActive()).count());
        if (stillOpen != expected) {
            error("only " + stillOpen + " of " + expected + " connections stayed open");
            return false;
        }
        return true;
    }

    /**
     * Opens {@code count} connections to {@code path}, at most {@code concurrency} handshakes at a time, and waits
     * until all are open.
     *
     * @param count how many
     * @param path the request target
     * @param concurrency handshakes in progress at once
     * @throws InterruptedException if interrupted
     */
    final void openConnections(int count, String path, int concurrency) throws InterruptedException {
        int base = opened;
        client.onLoop(() -> {
            this.path = path;
            toOpen = count;
            for (int i = 0; i < Math.min(concurrency, count); i++) {
                openNext();
            }
        });
        // 10,000 connections get 65 s: a server that gets a fraction of its CPU on a busy machine is slow to accept.
        Duration timeout = GRACE.plusMillis(5L * count);
        if (!await(() -> opened - base >= count || errors > 0, timeout)) {
            error("only " + (opened - base) + " of " + count + " connections opened within " + timeout);
        }
    }

    /**
     * @param path the request target
     * @param id the connection's index
     * @return the connection's opening handshake: a plain one, unless a scenario negotiates an extension
     */
    Upgrade prepareUpgrade(String path, int id) {
        return Upgrade.prepare(client.host(), client.port(), path, id + 1);
    }

    private void openNext() {
        if (toOpen == 0) {
            return;
        }
        toOpen--;
        int id = connections.size();
        WsConnection c = newConnection(id, prepareUpgrade(path, id));
        connections.add(c);
        c.attach(client.connect(c).addListener(f -> {
            if (!f.isSuccess()) {
                failed(c, "connect failed: " + f.cause());
            }
        }).channel());
    }

    @Override
    public void opened(WsConnection c) {
        opened++;
        openNext();
    }

    @Override
    public void closed(WsConnection c) {
        if (!stopping && c.isUpgraded()) {
            failed(c, "server closed connection " + c.id + " during the run");
        }
    }

    @Override
    public void failed(WsConnection c, String problem) {
        error(problem);
    }

    /** @param problem a failure to count; the first one is reported */
    final void error(String problem) {
        if (firstError == null) {
            firstError = problem;
        }
        errors++;
    }

    /** @return how many failures were counted */
    final long errorCount() {
        return errors;
    }

    /** @return the first failure's description, or null */
    final String firstError() {
        return firstError;
    }

    /** @return whether a failure was counted */
    final boolean hasErrors() {
        return errors > 0;
    }

    /**
     * Waits, polling, until a condition holds.
     *
     * @param condition read on the scenario's thread; it must read volatile state or go through the loop
     * @param timeout how long to wait at most
     * @return whether the condition held in time
     * @throws InterruptedException if interrupted
     */
    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Lets load run for the warm-up, then measures an interval that ends at the measured duration, or as soon as
     * {@code counter} has grown by {@link LoadSettings#maxMessages()}, or at the first error.
     *
     * @param counter a count kept on the loop (it is read on the loop)
     * @return the count and CPU use over the interval
     * @throws InterruptedException if interrupted
     */
    final Interval measure(LongSupplier counter) throws InterruptedException {
        Thread.sleep(settings.warmup().toMillis());
        Interval.Mark start = client.onLoop(() -> Interval.Mark.take(counter.getAsLong(), serverPid));
        long cap = settings.maxMessages();
        await(() -> errors > 0 || client.onLoop(() -> counter.getAsLong()) - start.count() >= cap,
                settings.measure());
        Interval.Mark end = client.onLoop(() -> Interval.Mark.take(counter.getAsLong(), serverPid));
        Interval interval = new Interval(start, end);
        recordCpu(interval);
        return interval;
    }

    /**
     * Runs a closed-loop echo over new connections: opens them, sends every connection's first window, measures the
     * echoes and waits for the windows to drain. Subclasses answer {@link #echo} with {@link EchoWindow#echoed} and
     * send in {@link #readComplete} what {@link EchoWindow#take} says.
     *
     * @param echoWindow the scenario's window
     * @return the measured interval, or null when the connections could not all be opened
     * @throws InterruptedException if interrupted
     */
    final Interval closedLoop(EchoWindow echoWindow) throws InterruptedException {
        int n = settings.connections();
        echoWindow.start(n);
        openConnections(n, "/echo", 64);
        if (hasErrors()) {
            return null;
        }
        client.onLoop(() -> {
            for (WsConnection c : connections) {
                echoWindow.open(c);
                readComplete(c);
            }
        });
        Interval interval = measure(echoWindow::echoes);
        drain(echoWindow::drained);
        return interval;
    }

    /**
     * Records a rate and the same rate per CPU-second of the server: the work the server does with the CPU it gets,
     * which other processes of a shared machine disturb less than the rate itself. The CPU of the server's JIT
     * compiler threads is left out: it is the cost of warming up, not of the work, and how long it lasts depends on
     * the scenario's order more than on the server (connection churn kept C2 busy for seconds in every server).
     *
     * @param name the rate's metric name, e.g. {@code msgs_per_s}
     * @param interval the measured interval
     * @param perSecond the rate
     */
    final void recordRate(String name, Interval interval, double perSecond) {
        metrics.put(name, perSecond);
        double working = interval.serverCpuPercent() - interval.serverJitPercent();
        metrics.put(name.replace("_per_s", "_per_server_cpu_s"), perSecond / (working / 100));
    }

    /** @param interval the measured interval, whose CPU use and run-queue wait become metrics */
    final void recordCpu(Interval interval) {
        metrics.put(ScenarioResult.SERVER_CPU, interval.serverCpuPercent());
        metrics.put(ScenarioResult.GENERATOR_CPU, interval.generatorCpuPercent());
        metrics.put(ScenarioResult.SERVER_WAIT, interval.serverWaitPercent());
        metrics.put(ScenarioResult.SERVER_JIT, interval.serverJitPercent());
        metrics.put(ScenarioResult.GENERATOR_WAIT, interval.generatorWaitPercent());
        metrics.put(ScenarioResult.STEAL, interval.stealPercent());
    }

    /**
     * Stops sending, waits for in-flight messages, then closes every connection.
     *
     * @param drained true once nothing is in flight; read on the loop
     * @throws InterruptedException if interrupted
     */
    final void drain(BooleanSupplier drained) throws InterruptedException {
        client.onLoop(() -> stopping = true);
        if (!await(() -> client.onLoop(drained::getAsBoolean), GRACE)) {
            error("messages still in flight " + GRACE.toSeconds() + " s after the load stopped");
        }
    }

    /**
     * Closes every connection and forgets them; connections closing now are not failures.
     *
     * @throws InterruptedException if interrupted
     */
    final void closeAll() throws InterruptedException {
        List<ChannelFuture> closing = client.onLoop(() -> {
            stopping = true;
            toOpen = 0;
            List<ChannelFuture> futures = new ArrayList<>();
            for (WsConnection c : connections) {
                futures.add(c.channel().close());
            }
            return futures;
        });
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ChannelFuture f : closing) {
            if (!f.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                error("connections still open " + GRACE.toSeconds() + " s after closing");
                break;
            }
        }
        client.onLoop(() -> {
            connections.clear();
            stopping = false;
        });
    }
}
