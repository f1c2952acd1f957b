package io.sockwave.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another WebSocket implementation run as a child process: python-websockets (Debian's python3-websockets, run
 * with Debian's /usr/bin/python3) or Node's ws (installed by .ci/run into the node folder). Under CI a missing peer
 * fails the test, since CI installs both; elsewhere it skips it with the command that installs it.
 */
public final class Peer implements AutoCloseable {
    static final Path SCRIPTS = Path.of("src", "test");
    private static final long TIMEOUT_SECONDS = 60;

    private final Process process;
    private final BufferedReader out;

    private Peer(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** @return the command that runs a python-websockets script; skips (or under CI fails) if not installed */
    public static List<String> python(String script, String... args) {
        requireInstalled(Files.isExecutable(Path.of("/usr/bin/python3")) && probe("/usr/bin/python3", "-c",
                "import websockets"), "apt-get install python3-websockets");
        return command("/usr/bin/python3", SCRIPTS.resolve("python").resolve(script), args);
    }

    /** @return the command that runs an aiohttp script; skips (or under CI fails) if not installed */
    public static List<String> aiohttp(String script, String... args) {
        requireInstalled(Files.isExecutable(Path.of("/usr/bin/python3")) && probe("/usr/bin/python3", "-c",
                "import aiohttp"), "apt-get install python3-aiohttp");
        return command("/usr/bin/python3", SCRIPTS.resolve("python").resolve(script), args);
    }

    /** @return the command that runs a ws script; skips (or under CI fails) if not installed */
    public static List<String> node(String script, String... args) {
        requireInstalled(Files.isDirectory(SCRIPTS.resolve("node/node_modules/ws")),
                "npm ci --prefix interop/src/test/node");
        return command("node", SCRIPTS.resolve("node").resolve(script), args);
    }

    private static List<String> command(String program, Path script, String... args) {
        List<String> command = new ArrayList<>(List.of(program, script.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static void requireInstalled(boolean installed, String install) {
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("interop peer missing on CI; .ci/run should have run: " + install);
        }
        assumeTrue(installed, "interop peer not installed; run: " + install);
    }

    private static boolean probe(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Starts a long-running peer (a server) whose standard input, when closed, tells it to stop. */
    static Peer start(List<String> command) throws IOException {
        return new Peer(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Runs a peer to completion and returns its exit code and output. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, output + "\n(timed out)");
        }
        return new Result(p.exitValue(), output);
    }

    /** @return the port a server peer printed as {@code PORT n} */
    int port() throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("PORT ")) {
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new IOException("peer exited before printing its port, exit code "
                + (process.isAlive() ? "n/a" : process.exitValue()));
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    record Result(int exitCode, String output) {
    }
}
