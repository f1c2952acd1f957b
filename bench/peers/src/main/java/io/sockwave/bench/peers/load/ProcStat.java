package io.sockwave.bench.peers.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's CPU time and resident memory from Linux's {@code /proc}. The benchmark reads both for the server
 * process and for its own process, so that every cell records who was busy.
 */
public final class ProcStat {
    /**
     * Clock ticks per second of {@code utime}/{@code stime} (USER_HZ). It is 100 on every mainstream Linux build;
     * {@code run-peers.sh} passes {@code getconf CLK_TCK} as {@code -Dpeers.clkTck} in case it is not.
     */
    private static final double TICKS_PER_SECOND = Double.parseDouble(System.getProperty("peers.clkTck", "100"));

    private ProcStat() {
    }

    /**
     * @param pid a process id
     * @return the process's user plus system CPU time so far, in seconds, all threads included
     */
    public static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // Field 3 (state) is fields[0], so utime (14) and stime (15) are fields[11] and fields[12].
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks / TICKS_PER_SECOND;
    }

    /**
     * Time the hypervisor ran something else while this virtual machine's CPUs had work ({@code steal}, the eighth
     * figure of the {@code cpu} line of {@code /proc/stat}), summed over the machine's CPUs. Stolen time stalls
     * whichever process was running, server or generator, for milliseconds at a time: it is what a latency tail on
     * a virtual machine is often made of.
     *
     * @return the machine's stolen CPU time so far, in seconds
     */
    public static double stealSeconds() {
        String cpu = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow();
        String[] fields = cpu.trim().split("\\s+");
        return fields.length > 8 ? Long.parseLong(fields[8]) / TICKS_PER_SECOND : 0;
    }

    /**
     * What a process's threads did so far, from each thread's {@code schedstat}.
     *
     * @param waitSeconds the time all its threads spent runnable but waiting for a CPU (field 2). On a pinned
     *     process this is the time something else held its CPU: another process of the shared machine, or another
     *     of its own threads
     * @param compilerSeconds the CPU time of its JIT compiler threads (field 1 of the HotSpot threads named
     *     {@code C1 CompilerThread...} and {@code C2 CompilerThread...}): a cost of warming up, which ends once the
     *     JIT has compiled the paths a scenario uses
     */
    public record ThreadTimes(double waitSeconds, double compilerSeconds) {
    }

    /**
     * @param pid a process id
     * @return its threads' run-queue wait and compiler time so far
     */
    public static ThreadTimes threadTimes(long pid) {
        long waitNanos = 0;
        long compilerNanos = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String[] schedstat = Files.readString(task.resolve("schedstat")).trim().split(" ");
                    waitNanos += Long.parseLong(schedstat[1]);
                    // The kernel keeps 15 characters of a thread's name: "C2 CompilerThre".
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        compilerNanos += Long.parseLong(schedstat[0]);
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended between the listing and the read: its times no longer count anywhere.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the threads of process " + pid, e);
        }
        return new ThreadTimes(waitNanos / 1e9, compilerNanos / 1e9);
    }

    /**
     * @param pid a process id
     * @return the process's resident set size (VmRSS) in bytes
     */
    public static long residentBytes(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String kib = line.substring("VmRSS:".length()).replace("kB", "").trim();
                return Long.parseLong(kib) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS line for process " + pid);
    }

    /** @return this JVM's process id */
    public static long self() {
        return ProcessHandle.current().pid();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (is the process still running?)", e);
        }
    }
}
