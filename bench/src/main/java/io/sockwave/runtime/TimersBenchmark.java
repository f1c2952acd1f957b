package io.sockwave.runtime;

import io.sockwave.bench.ByteCounter;
import io.sockwave.bench.ThroughputBenchmark;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * An event loop's deadlines ({@link Timers}) with {@code timers} of them pending: {@code scheduleThenCancel}, a
 * handshake's timeout scheduled and cancelled once the handshake is done (a cancel checks whether the heap's array
 * should shrink); {@code rescheduleLater}, an idle timeout pushed back as a connection reads. In the runtime's package,
 * which this benchmark shares to reach the package-private heap. {@code bytes} counts the operations.
 */
public class TimersBenchmark extends ThroughputBenchmark {
    /** How many deadlines are pending beside the one an operation moves. */
    @Param({"1000", "50000"})
    public int timers;

    private static final long SPREAD = 1_000_000_000L;

    private Timers heap;
    private Node[] pending;
    private Node handshake;
    private long[] deadlines;
    private int next;

    /** A deadline that does nothing when it fires: none fires here. */
    static final class Node extends TimerNode {
        @Override
        void onTimer(long now) {
        }
    }

    /** The pending deadlines, spread at random with a fixed seed, and 4096 more for the operations to use. */
    @Setup
    public void setUp() {
        heap = new Timers();
        Random random = new Random(18);
        pending = new Node[timers];
        for (int i = 0; i < timers; i++) {
            pending[i] = new Node();
            heap.schedule(pending[i], random.nextLong(SPREAD));
        }
        handshake = new Node();
        deadlines = new long[4096];
        for (int i = 0; i < deadlines.length; i++) {
            deadlines[i] = random.nextLong(SPREAD);
        }
    }

    /** A handshake's timeout, scheduled among the others and cancelled. */
    @Benchmark
    public int scheduleThenCancel(ByteCounter counter) {
        heap.schedule(handshake, deadlines[next++ & 4095]);
        heap.cancel(handshake);
        counter.bytes++;
        return heap.size();
    }

    /** One pending deadline pushed back, as an idle timeout is after a read. */
    @Benchmark
    public int rescheduleLater(ByteCounter counter) {
        Node node = pending[next++ % timers];
        heap.schedule(node, node.deadline + SPREAD);
        counter.bytes++;
        return heap.size();
    }
}
