package io.sockwave.bench.peers.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server script run by Node as a process of its own, {@code node bench/peers/FOLDER/server.js}, whose npm package
 * {@code npm ci --prefix bench/peers/FOLDER} installs: uWebSockets.js ({@link #UWEBSOCKETS}) and the {@code ws}
 * library with permessage-deflate ({@link #WS}). {@code run-peers.sh} starts those scripts itself, pinned like every
 * server; this class starts them for the tests and for the {@code server} command.
 */
final class NodeServer implements BenchServer {
    /** uWebSockets.js, from the npm package {@code uwebsockets} in {@code bench/peers/uwebsockets}. */
    static final Script UWEBSOCKETS = new Script("uWebSockets.js", "uwebsockets", "uwebsockets",
            "peers.uwebsocketsDir");
    /** The {@code ws} library, from its npm package in {@code bench/peers/ws}. */
    static final Script WS = new Script("ws", "ws", "ws", "peers.wsDir");
    private static final long START_TIMEOUT_MILLIS = 10_000;

    /**
     * @param name what the server is called in messages
     * @param folder the folder of {@code server.js} and its {@code package.json}, under {@code bench/peers}
     * @param npmPackage the package {@code npm ci} installs there
     * @param directoryProperty a system property that overrides the search for the folder
     */
    record Script(String name, String folder, String npmPackage, String directoryProperty) {
        /**
         * @return the folder holding {@code server.js}: the property's, else the folder under the working directory
         *     (the module's, as in its tests) or under {@code bench/peers} (the repository's)
         * @throws IllegalStateException if there is none
         */
        Path directory() {
            String configured = System.getProperty(directoryProperty);
            List<Path> candidates = configured != null ? List.of(Path.of(configured))
                    : List.of(Path.of(folder), Path.of("bench", "peers", folder));
            return candidates.stream().filter(d -> Files.isRegularFile(d.resolve("server.js"))).findFirst()
                    .map(Path::toAbsolutePath)
                    .orElseThrow(() -> new IllegalStateException("no server.js in " + candidates + "; set -D"
                            + directoryProperty));
        }

        /** @return whether the npm package is installed beside {@code server.js} */
        boolean packageInstalled() {
            return Files.isDirectory(directory().resolve("node_modules").resolve(npmPackage));
        }
    }

    private final Process node;
    private final int port;

    private NodeServer(Process node, int port) {
        this.node = node;
        this.port = port;
    }

    static NodeServer start(Script script, String host, int port) throws IOException, InterruptedException {
        Path dir = script.directory();
        if (!script.packageInstalled()) {
            throw new IllegalStateException(script.name() + " is not installed: npm ci --prefix " + dir);
        }
        Path portFile = Files.createTempFile("peers-" + script.folder() + "-port", ".txt");
        Path log = Files.createTempFile("peers-" + script.folder(), ".log");
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
                throw new IOException(script.name() + " did not start; its output: "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            return new NodeServer(node, Integer.parseInt(Files.readString(portFile).strip()));
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
