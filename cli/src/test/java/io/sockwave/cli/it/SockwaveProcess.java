package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shaded jar (or the wrapper script) run as a child process, as a user would run it, with its standard output
 * and error collected line by line for the test to wait on. Closing it kills what is still running.
 */
public final class SockwaveProcess implements AutoCloseable {
    /** How long any wait for a line or an exit may take before the test fails. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Process process;
    private final Lines out;
    private final Lines err;
    private final String description;

    private SockwaveProcess(ProcessBuilder builder) throws IOException {
        this.description = String.join(" ", builder.command());
        this.process = builder.start();
        this.out = new Lines(process.getInputStream(), "stdout");
        this.err = new Lines(process.getErrorStream(), "stderr");
    }

    /** @return the jar built by {@code package}, which failsafe names in the {@code sockwave.jar} property */
    public static Path jar() {
        String property = System.getProperty("sockwave.jar");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            fail("the shaded jar is missing (" + property + "): run the integration tests with mvn verify");
        }
        return Path.of(property);
    }

    /** @return the repository root, which failsafe names in the {@code sockwave.repo} property */
    public static Path repository() {
        return Path.of(System.getProperty("sockwave.repo", "..")).toAbsolutePath().normalize();
    }

    /** @return the folder for files kept after the run (screenshots, reports), created if needed */
    public static Path artifacts() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("sockwave.artifacts", "target/it-artifacts")));
    }

    /** Runs {@code java -jar sockwave.jar ARGS}. */
    public static SockwaveProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        return new SockwaveProcess(new ProcessBuilder(command));
    }

    /** Runs any command, such as the wrapper script, in a folder with extra environment variables. */
    public static SockwaveProcess startCommand(Path dir, Map<String, String> env, String... command)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        return new SockwaveProcess(builder);
    }

    /** @return the path of the java running the tests, so that children use the same one */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code serve --host 127.0.0.1 --port 0 ARGS} and waits until it listens. */
    public static Served serve(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", "0"));
        all.addAll(List.of(args));
        SockwaveProcess process = start(all.toArray(String[]::new));
        return new Served(process, process.awaitPort());
    }

    /** A running server and its port. */
    public record Served(SockwaveProcess process, int port) implements AutoCloseable {
        /** @return {@code ws://127.0.0.1:PORT} followed by the path */
        public java.net.URI uri(String scheme, String path) {
            return java.net.URI.create(scheme + "://127.0.0.1:" + port + path);
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /** Waits for the start-up line and returns the port it names. */
    public int awaitPort() {
        return awaitPort(PATIENCE);
    }

    /** Waits, this long at most, for the start-up line and returns the port it names. */
    public int awaitPort(Duration patience) {
        Matcher m = out.await(Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)"), patience, this);
        return Integer.parseInt(m.group(1));
    }

    /** @return the first standard output line, from the start, that matches */
    public Matcher awaitOut(String regex) {
        return out.await(Pattern.compile(regex), PATIENCE, this);
    }

    /** @return the first standard error line, from the start, that matches */
    public Matcher awaitErr(String regex) {
        return err.await(Pattern.compile(regex), PATIENCE, this);
    }

    /** Writes text (UTF-8) to the process's standard input. */
    public void write(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the process's standard input: end of input. */
    public void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** Sends a signal, such as {@code INT} or {@code TERM}, with the system's kill command. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " failed");
    }

    /** Waits for the process to end; fails the test if it does not. */
    public int awaitExit() throws InterruptedException {
        return awaitExit(PATIENCE);
    }

    /** Waits for the process to end within {@code patience}, for one that builds first; fails the test if not. */
    public int awaitExit(Duration patience) throws InterruptedException {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("still running after " + patience.toSeconds() + " s: " + this);
        }
        out.awaitEnd();
        err.awaitEnd();
        return process.exitValue();
    }

    /**
     * Waits for the process to end, this long at most, without failing when it does not.
     *
     * @return whether it ended
     */
    public boolean endsWithin(Duration patience) throws InterruptedException {
        return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return every standard output line so far */
    public List<String> outLines() {
        return out.snapshot();
    }

    /** @return every standard error line so far */
    public List<String> errLines() {
        return err.snapshot();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return description + "\n--- stdout:\n" + String.join("\n", out.snapshot()) + "\n--- stderr:\n"
                + String.join("\n", err.snapshot());
    }

    /** One output stream's lines, read by a thread of its own so the child never blocks on a full pipe. */
    private static final class Lines {
        private final List<String> lines = new ArrayList<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Thread reader;
        private boolean ended;

        Lines(InputStream stream, String name) {
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        add(line);
                    }
                } catch (IOException e) {
                    add("<" + name + " unreadable: " + e + ">");
                } finally {
                    lock.lock();
                    try {
                        ended = true;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            }, "it-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        private void add(String line) {
            lock.lock();
            try {
                lines.add(line);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        Matcher await(Pattern pattern, Duration patience, SockwaveProcess owner) {
            long deadline = System.nanoTime() + patience.toNanos();
            lock.lock();
            try {
                int seen = 0;
                while (true) {
                    for (; seen < lines.size(); seen++) {
                        Matcher m = pattern.matcher(lines.get(seen));
                        if (m.find()) {
                            return m;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (ended || left <= 0) {
                        break;
                    }
                    changed.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
            throw new AssertionError("no line matching /" + pattern + "/ from " + owner);
        }

        void awaitEnd() throws InterruptedException {
            reader.join(PATIENCE.toMillis());
        }

        List<String> snapshot() {
            lock.lock();
            try {
                return List.copyOf(lines);
            } finally {
                lock.unlock();
            }
        }
    }
}
