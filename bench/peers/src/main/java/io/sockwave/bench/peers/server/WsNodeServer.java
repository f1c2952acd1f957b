package io.sockwave.bench.peers.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The npm {@code ws} library under Node, with permessage-deflate: {@code node bench/peers/ws/server.js}, whose
 * package {@code npm ci --prefix bench/peers/ws} installs. {@code run-peers.sh} starts that script itself, pinned
 * like every server; this class starts it for the tests and for the {@code server} command.
 */
final class WsNodeServer implements BenchServer {
    /** The folder of {@code server.js} and its {@code package.json}; the property overrides the search. */
    static final String DIRECTORY_PROPERTY = "peers.wsDir";
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Process node;
    private final int port;

    private WsNodeServer(Process node, int port) {
        this.node = node;
        this.port = port;
    }

    /**
     * @return the folder holding {@code server.js}: the property's, else {@code ws} under the working directory (the
     *     module's, as in its tests) or {@code bench/peers/ws} (the repository's)
     * @throws IllegalStateException if there is none
     */
    static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        List<Path> candidates = configured != null ? List.of(Path.of(configured))
                : List.of(Path.of("ws"), Path.of("bench", "peers", "ws"));
        return candidates.stream().filter(d -> Files.isRegularFile(d.resolve("server.js"))).findFirst()
                .map(Path::toAbsolutePath)
                .orElseThrow(() -> new IllegalStateException("no server.js in " + candidates + "; set -D"
                        + DIRECTORY_PROPERTY));
    }

    /** @return whether the ws package is installed beside {@code server.js} */
    static boolean packageInstalled() {
        return Files.isDirectory(directory().resolve("node_modules").resolve("ws"));
    }

    static WsNodeServer start(String host, int port) throws IOException, InterruptedException {
        Path dir = directory();
        if (!packageInstalled()) {
            throw new IllegalStateException("ws is not installed: npm ci --prefix " + dir);
        }
        Path portFile = Files.createTempFile("peers-ws-port", ".txt");
        Path log = Files.createTempFile("peers-ws", ".log");
        Files.delete(portFile);
        Process node = new ProcessBuilder("node", dir.resolve("server.js").toString(), "--host", host,
                "--port", Integer.toString(port), "--port-file", portFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
            while (!Files.exists(portFile) && node.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            if (!Files.exists(portFile)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException("ws did not start; its output: "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            return new WsNodeServer(node, Integer.parseInt(Files.readString(portFile).strip()));
        } finally {
            Files.deleteIfExists(portFile);
            Files.deleteIfExists(log);
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return node.pid();
    }

    @Override
    public void close() {
        node.destroy();
        try {
            if (!node.waitFor(5, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
