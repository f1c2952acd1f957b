package io.sockwave.bench.peers.load;

/**
 * A measured interval: how much a counter grew, how long it took, and how busy the server and the generator were
 * (their CPU time over the interval, read from {@code /proc}).
 *
 * @param start the reading at the start
 * @param end the reading at the end
 */
record Interval(Mark start, Mark end) {
    /**
     * One reading, taken on the event loop where a count goes with it, so that the count and the clock agree (the
     * side-by-side fixed rate, which counts nothing here, reads at round boundaries on its own thread).
     *
     * @param nanoTime {@link System#nanoTime()}
     * @param count the counter's value
     * @param serverCpu the server's CPU seconds so far
     * @param generatorCpu the generator's CPU seconds so far
     * @param serverThreads the server's run-queue wait and JIT compiler time so far
     * @param generatorWait the generator's run-queue wait so far, in seconds
     * @param steal the machine's stolen CPU time so far, in seconds ({@link ProcStat#stealSeconds()})
     */
    record Mark(long nanoTime, long count, double serverCpu, double generatorCpu, ProcStat.ThreadTimes serverThreads,
            double generatorWait, double steal) {
        static Mark take(long count, long serverPid) {
            return new Mark(System.nanoTime(), count, ProcStat.cpuSeconds(serverPid),
                    ProcStat.cpuSeconds(ProcStat.self()), ProcStat.threadTimes(serverPid),
                    ProcStat.threadTimes(ProcStat.self()).waitSeconds(), ProcStat.stealSeconds());
        }
    }

    /** @return the interval's length in seconds */
    double seconds() {
        return Math.max(1e-9, (end.nanoTime - start.nanoTime) / 1e9);
    }

    /** @return how much the counter grew */
    long count() {
        return end.count - start.count;
    }

    /** @return the counter's growth per second */
    double perSecond() {
        return count() / seconds();
    }

    /** @return the server's CPU use, in percent of one core */
    double serverCpuPercent() {
        return 100 * (end.serverCpu - start.serverCpu) / seconds();
    }

    /**
     * @return how long the generator's threads waited for a CPU, in percent of the interval: high when other
     *     processes of the machine competed with the benchmark
     */
    double generatorWaitPercent() {
        // A sum over live threads: one that ended (a compiler thread the JVM retired) takes its wait with it.
        return Math.max(0, 100 * (end.generatorWait - start.generatorWait) / seconds());
    }

    /**
     * @return how long the server's threads waited for their CPU, in percent of the interval: other processes, or
     *     the server's own threads competing for its one CPU
     */
    double serverWaitPercent() {
        return Math.max(0, 100 * (end.serverThreads.waitSeconds() - start.serverThreads.waitSeconds()) / seconds());
    }

    /**
     * @return the CPU use of the server's JIT compiler threads, in percent of one core: part of
     *     {@link #serverCpuPercent()} that ends once the server has compiled what the scenario runs
     */
    double serverJitPercent() {
        double jit = end.serverThreads.compilerSeconds() - start.serverThreads.compilerSeconds();
        return Math.max(0, Math.min(100 * jit / seconds(), serverCpuPercent()));
    }

    /** @return the time the hypervisor took from this machine's CPUs, in percent of one core (summed over CPUs) */
    double stealPercent() {
        return 100 * (end.steal - start.steal) / seconds();
    }

    /** @return the generator's CPU use, in percent of one core */
    double generatorCpuPercent() {
        return 100 * (end.generatorCpu - start.generatorCpu) / seconds();
    }
}
