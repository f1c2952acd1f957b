package io.sockwave.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a node's memory and sends it signals. RSS comes from /proc for every node; the live heap after a full
 * collection from {@code jcmd PID GC.run} + {@code GC.heap_info} for a JVM, and from the Socket.IO node's own
 * {@code process.memoryUsage().heapUsed} after {@code gc()}, which it writes to a file on SIGUSR2.
 */
final class NodeProbe {
    private static final Pattern JVM_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern NODE_HEAP_USED = Pattern.compile("\"heapUsed\":(\\d+)");
    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    private NodeProbe() {
    }

    /** @return the process's resident set size in bytes */
    static long rssBytes(long pid) throws IOException {
        Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
        if (!m.find()) {
            throw new IOException("no VmRSS in /proc/" + pid + "/status");
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /** @return the node's live heap after a full collection, in bytes */
    static long liveHeapBytes(Node node) throws IOException, InterruptedException {
        return node.memFile() == null ? jvmLiveHeap(node.pid()) : nodeJsLiveHeap(node);
    }

    private static long jvmLiveHeap(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path commands = Files.createTempFile("cluster-jcmd", ".txt");
        try {
            Files.writeString(commands, "GC.run\nGC.heap_info\n", StandardCharsets.US_ASCII);
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "-f", commands.toString())
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd did not answer within 30 s");
            }
            Matcher used = JVM_USED.matcher(text);
            if (p.exitValue() != 0 || !used.find()) {
                throw new IOException("unexpected jcmd output: " + text.strip());
            }
            return Long.parseLong(used.group(1)) * 1024;
        } finally {
            Files.deleteIfExists(commands);
        }
    }

    private static long nodeJsLiveHeap(Node node) throws IOException, InterruptedException {
        Files.deleteIfExists(node.memFile());
        signal(node.pid(), "USR2");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(node.memFile())) {
            if (System.nanoTime() > deadline) {
                throw new IOException("node " + node.pid() + " wrote no " + node.memFile() + " within 30 s");
            }
            Thread.sleep(20);
        }
        Matcher m = NODE_HEAP_USED.matcher(Files.readString(node.memFile()));
        if (!m.find()) {
            throw new IOException("no heapUsed in " + node.memFile());
        }
        return Long.parseLong(m.group(1));
    }

    /** Sends a signal by name (KILL, STOP, CONT, USR2) with the system's kill command. */
    static void signal(long pid, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder(List.of("kill", "-" + name, Long.toString(pid))).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + pid + " failed");
        }
    }

    /** @return the 1, 5 and 15 minute load averages, as /proc/loadavg gives them */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
