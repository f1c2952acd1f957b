package io.sockwave.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real redis-server (Debian's {@code redis-server}) on a free loopback port, with its data in a temporary
 * directory, for tests of what Redis does under faults: paused ({@link #pause()}), killed and restarted on the same
 * port with or without its data ({@link #crashAndRestart()}); or a replica of another ({@link #startReplica}), and a
 * primary killed ({@link #crash()}) that comes back as the replica of the one promoted in its place
 * ({@link #restartAsReplicaOf}).
 */
public final class RedisServer implements AutoCloseable {
    /** How Redis keeps its data across a restart. */
    public enum Persistence {
        /** Nothing: a restart starts empty. */
        NONE,
        /** An append-only file synced on every write: a restart loses nothing Redis acknowledged. */
        AOF_ALWAYS
    }

    private final int port = LoopbackPorts.free();
    private final Path dir;
    private final Persistence persistence;
    /** The port of the primary this server replicates, or 0 for a primary. */
    private int primaryPort;
    /** Microseconds Redis spends on each key it loads at start ({@code key-load-delay}), or 0. */
    private int keyLoadDelayMicros;
    /** Whether Sentinel may never promote it. */
    private boolean neverPromoted;
    private ExternalProgram program;

    private RedisServer(Persistence persistence) throws IOException {
        this.persistence = persistence;
        this.dir = Files.createTempDirectory("sockwave-redis-");
    }

    /** Starts a redis-server and waits until it listens. */
    public static RedisServer start(Persistence persistence) throws IOException, InterruptedException {
        RedisServer server = new RedisServer(persistence);
        server.launch();
        return server;
    }

    /**
     * Starts a redis-server that replicates the one on 127.0.0.1:primaryPort, and waits until it listens (not until
     * it has synchronised).
     */
    public static RedisServer startReplica(Persistence persistence, int primaryPort)
            throws IOException, InterruptedException {
        RedisServer server = new RedisServer(persistence);
        server.primaryPort = primaryPort;
        server.launch();
        return server;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString(), "--protected-mode", "no"));
        if (persistence == Persistence.AOF_ALWAYS) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            command.addAll(List.of("--appendonly", "no"));
        }
        if (primaryPort != 0) {
            command.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(primaryPort)));
        }
        if (neverPromoted) {
            command.addAll(List.of("--replica-priority", "0"));
        }
        if (keyLoadDelayMicros > 0) {
            // Redis answers connections (with LOADING) between loaded chunks only, 2 MB by default
            command.addAll(List.of("--key-load-delay", Integer.toString(keyLoadDelayMicros),
                    "--loading-process-events-interval-bytes", "1024"));
        }
        // a primary waits 5 s by default before synchronising a replica, for others to share the transfer
        command.addAll(List.of("--repl-diskless-sync-delay", "0"));
        program = ExternalProgram.startListening("redis-server", port, Duration.ofSeconds(10), command);
    }

    /** @return {@code redis://127.0.0.1:PORT} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** @return the port it listens on, the same across restarts */
    public int port() {
        return port;
    }

    /** @return the process id of the running redis-server, for a benchmark that signals it itself */
    public long pid() {
        return program.pid();
    }

    /** Stops the process with SIGSTOP: connections stay open, nothing is answered. */
    public void pause() throws IOException, InterruptedException {
        program.signal("STOP");
    }

    /** Lets a paused process go on (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        program.signal("CONT");
    }

    /**
     * Kills the process with SIGKILL, as a crash, and starts it again on the same port with the same directory:
     * with {@link Persistence#AOF_ALWAYS} it reloads its data, with {@link Persistence#NONE} it starts empty.
     */
    public void crashAndRestart() throws IOException, InterruptedException {
        crash();
        restart();
    }

    /** Starts a {@linkplain #crash() crashed} server again on its port, with its data as {@link #crashAndRestart()}. */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    /**
     * Starts a {@linkplain #crash() crashed} server again as {@link #restart()} does, spending the given time on each
     * key it loads (Redis's {@code key-load-delay}, which applies to the snapshot part of its data, so rewrite the
     * append-only file first), and answering {@code LOADING} meanwhile as a large data set makes it answer.
     */
    public void restartLoadingSlowly(Duration perKey) throws IOException, InterruptedException {
        keyLoadDelayMicros = Math.toIntExact(perKey.toNanos() / 1000);
        try {
            launch();
        } finally {
            keyLoadDelayMicros = 0;
        }
    }

    /** Kills the process with SIGKILL, as a crash, and leaves it down. */
    public void crash() throws IOException, InterruptedException {
        program.signal("KILL");
        program.process().waitFor();
        program.close();
    }

    /**
     * Starts a {@linkplain #crash() crashed} server again on its port as the replica of the one on
     * 127.0.0.1:newPrimaryPort, as a failed primary rejoins once another was promoted (started so, it never serves
     * its old data as a primary meanwhile). It has {@code replica-priority 0}, so that Sentinel never promotes it: on
     * a loaded machine, a primary slow to answer Sentinel's pings would otherwise be failed over a second time,
     * unasked.
     */
    public void restartAsReplicaOf(int newPrimaryPort) throws IOException, InterruptedException {
        primaryPort = newPrimaryPort;
        neverPromoted = true;
        launch();
    }

    @Override
    public void close() throws IOException {
        if (program != null) {
            program.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
