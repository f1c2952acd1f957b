package io.sockwave.bench.peers.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JVM's live heap: runs {@code jcmd <pid> GC.run} then {@code GC.heap_info} (one jcmd invocation, two
 * commands) and parses the heap's "used" figure. After a full collection that figure is the memory the server's
 * objects really hold, which RSS blurs with every heap page that garbage ever touched.
 */
final class HeapProbe {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final long TIMEOUT_SECONDS = 30;

    private HeapProbe() {
    }

    /**
     * @param pid a process id
     * @return whether the process is a JVM ({@code java}), which jcmd can ask
     */
    static boolean isJvm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip().equals("java");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the name of process " + pid, e);
        }
    }

    /**
     * @param pid a JVM's process id
     * @return its used heap after a full collection, in bytes
     * @throws IllegalStateException if jcmd is missing, fails or answers something unexpected
     * @throws InterruptedException if interrupted while waiting for jcmd
     */
    static long liveHeapBytes(long pid) throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Path commands = Files.createTempFile("peers-jcmd", ".txt");
            try {
                Files.writeString(commands, "GC.run\nGC.heap_info\n", StandardCharsets.US_ASCII);
                Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "-f", commands.toString())
                        .redirectErrorStream(true).start();
                byte[] output = p.getInputStream().readAllBytes();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("jcmd did not answer within " + TIMEOUT_SECONDS + " s");
                }
                String text = new String(output, StandardCharsets.UTF_8);
                Matcher used = USED.matcher(text);
                if (p.exitValue() != 0 || !used.find()) {
                    throw new IllegalStateException("unexpected jcmd output: " + text.strip());
                }
                return Long.parseLong(used.group(1)) * 1024;
            } finally {
                Files.deleteIfExists(commands);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd + ": " + e.getMessage(), e);
        }
    }
}
