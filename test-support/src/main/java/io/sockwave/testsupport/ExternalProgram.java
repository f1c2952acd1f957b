package io.sockwave.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real program a test runs (redis-server, nginx, tinyproxy, a SOCKS server...), as users would run it, on loopback.
 * Its output goes to a log file whose tail is shown when it fails to start; closing it stops the whole process tree.
 * A missing program names the package to install: the test is skipped, or fails under {@code CI=true}, since CI
 * installs each one in {@code .ci/run}.
 */
public final class ExternalProgram implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ExternalProgram(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a program and waits until it listens on 127.0.0.1:port.
     *
     * @param debianPackage named in the error when the executable is missing
     * @param command the executable (an absolute path, or a name looked up on PATH) and its arguments
     */
    public static ExternalProgram startListening(String debianPackage, int port, Duration startTimeout,
                                                 List<String> command) throws IOException, InterruptedException {
        ExternalProgram program = start(debianPackage, command);
        if (!LoopbackPorts.awaitListening(port, startTimeout)) {
            String tail = program.logTail();
            program.close();
            throw new IOException(program.name + " did not listen on 127.0.0.1:" + port + " within " + startTimeout
                    + "; its output:\n" + tail);
        }
        return program;
    }

    /** Starts a program without waiting for anything. */
    public static ExternalProgram start(String debianPackage, List<String> command) throws IOException {
        String executable = command.get(0);
        if (locate(executable) == null) {
            String missing = executable + " is not installed: apt-get install " + debianPackage
                    + " (.ci/run installs it)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IOException(missing);
            }
            // On a developer's machine the test is skipped, saying why; under CI it fails.
            Assumptions.abort(missing);
        }
        String name = Path.of(executable).getFileName().toString();
        Path log = Files.createTempFile("sockwave-" + name + "-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        return new ExternalProgram(name, process, log);
    }

    /** Whether an executable exists, as an absolute path or on PATH; tests may skip or fail on it. */
    public static boolean installed(String executable) {
        return locate(executable) != null;
    }

    private static Path locate(String executable) {
        if (executable.contains("/")) {
            Path path = Path.of(executable);
            return Files.isExecutable(path) ? path : null;
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (pathVariable + ":/usr/sbin:/sbin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, executable);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** @return the operating system's process, for signals (SIGSTOP, SIGKILL) a fault test sends */
    public Process process() {
        return process;
    }

    /** @return the pid, for {@code kill -STOP} and the like */
    public long pid() {
        return process.pid();
    }

    /** @return the last lines the program wrote, for failure messages */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(its log " + log + " could not be read: " + e.getMessage() + ")";
        }
    }

    /** Sends a signal by name (STOP, CONT, KILL, TERM) to the program. */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Stops the program and its children: SIGTERM, then SIGKILL after five seconds. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary log left behind harms nothing
            }
        }
    }
}
