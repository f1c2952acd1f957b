package io.sockwave.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Redis Sentinel ({@code redis-server --sentinel}, Debian's plain {@code redis-server}) on a free loopback
 * port, monitoring one primary with a quorum of 1, so that it alone decides a failover: the primary is taken as down
 * after {@code downAfter} without an answer, and its best replica promoted. Its configuration file, which Sentinel
 * rewrites, is in a temporary directory.
 */
public final class RedisSentinel implements AutoCloseable {
    private final int port = LoopbackPorts.free();
    private final String master;
    private final Path dir;
    private final ExternalProgram program;

    private RedisSentinel(String master, int primaryPort, Duration downAfter) throws IOException, InterruptedException {
        this.master = master;
        this.dir = Files.createTempDirectory("sockwave-sentinel-");
        Path config = dir.resolve("sentinel.conf");
        // failover-timeout: long enough that Sentinel never "fixes" a replica that reaches its primary through a
        // test's relay (another address than the primary's) during a test
        Files.writeString(config, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "protected-mode no",
                "dir " + dir,
                "sentinel monitor " + master + " 127.0.0.1 " + primaryPort + " 1",
                "sentinel down-after-milliseconds " + master + " " + downAfter.toMillis(),
                "sentinel failover-timeout " + master + " 180000",
                ""));
        this.program = ExternalProgram.startListening("redis-server", port, Duration.ofSeconds(10),
                List.of("redis-server", config.toString(), "--sentinel"));
    }

    /** Starts a sentinel monitoring the primary on 127.0.0.1:primaryPort under the name master. */
    public static RedisSentinel start(String master, int primaryPort, Duration downAfter)
            throws IOException, InterruptedException {
        return new RedisSentinel(master, primaryPort, downAfter);
    }

    /** @return {@code redis-sentinel://127.0.0.1:PORT#MASTER}: Lettuce's URI of the primary as this sentinel names it */
    public String uri() {
        return "redis-sentinel://127.0.0.1:" + port + "#" + master;
    }

    /** @return the port it listens on */
    public int port() {
        return port;
    }

    /** @return the name of the primary it monitors */
    public String master() {
        return master;
    }

    /** @return the last lines Sentinel logged (its failovers: {@code +sdown}, {@code +switch-master}...) */
    public String logTail() {
        return program.logTail();
    }

    @Override
    public void close() throws IOException {
        program.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
