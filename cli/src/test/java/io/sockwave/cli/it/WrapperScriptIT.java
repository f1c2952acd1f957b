package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wrapper script on a copy of the repository without any build output, as on a fresh clone: it builds the jar,
 * says so once on standard error, and serves; the chat endpoint answers the RFC's example handshake.
 */
class WrapperScriptIT {
    /** The wrapper at the repository root. */
    static final String WRAPPER = "sockwave";
    private static final Set<String> SKIPPED = Set.of(".git", "target", ".idea");
    /** Building protocol, runtime and CLI from scratch on a busy 2-core machine. */
    private static final Duration BUILD_PATIENCE = Duration.ofMinutes(5);

    @Test
    void wrapperBuildsOnFirstUseThenServesTheChat(@TempDir Path clone) throws Exception {
        copySources(SockwaveProcess.repository(), clone);
        assertTrue(Files.isExecutable(clone.resolve(WRAPPER)), WRAPPER + " must be executable");

        try (SockwaveProcess serve = SockwaveProcess.startCommand(clone, Map.of(), "./" + WRAPPER, "serve",
                "--host", "127.0.0.1", "--port", "0")) {
            int port = serve.awaitPort(BUILD_PATIENCE);
            assertEquals("sockwave: building cli/target/sockwave.jar...", serve.errLines().get(0));
            assertTrue(Files.isRegularFile(clone.resolve("cli/target/sockwave.jar")));
            try (RawHttp http = new RawHttp(port)) {
                RawHttp.Response response = http.exchange(RawHttp.rfcUpgrade("/chat", port));
                assertEquals("HTTP/1.1 101 Switching Protocols", response.statusLine());
                assertEquals(RawHttp.RFC_ACCEPT, response.headers().get("sec-websocket-accept"));
            }
            serve.signal("TERM");
            serve.awaitExit();
        }

        try (SockwaveProcess again = SockwaveProcess.startCommand(clone, Map.of(), "./" + WRAPPER, "--version")) {
            assertEquals(0, again.awaitExit(), again.toString());
            assertTrue(again.outLines().get(0).matches("sockwave \\d+\\.\\d+.*"), again.toString());
            assertTrue(again.errLines().isEmpty(), "no rebuild when the jar is up to date: " + again);
        }

        // A source newer than the jar: the next run builds again before it runs. The jar goes back to 1970, older
        // than every source however long ago it was checked out (the copy keeps their times). Maven's JVM prints its
        // version, as a JVM newer than Maven's libraries prints warnings on every run (JDK 24+ on
        // sun.misc.Unsafe): a build that succeeds shows none of it.
        Path jar = clone.resolve("cli/target/sockwave.jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.EPOCH));
        try (SockwaveProcess stale = SockwaveProcess.startCommand(clone, Map.of("MAVEN_OPTS", "-showversion"),
                "./" + WRAPPER, "--version")) {
            stale.awaitExit(BUILD_PATIENCE);
            assertEquals(List.of("sockwave: building cli/target/sockwave.jar..."), stale.errLines(), stale.toString());
            assertTrue(stale.outLines().get(0).startsWith("sockwave "), stale.toString());
        }
        assertTrue(Files.getLastModifiedTime(jar).toInstant().isAfter(Instant.now().minus(Duration.ofMinutes(10))));
    }

    /** A build that fails shows Maven's output, kept aside while it ran, then says so, and the tool does not run. */
    @Test
    void aFailedBuildShowsMavensOutputAndExits1(@TempDir Path clone) throws Exception {
        copySources(SockwaveProcess.repository(), clone);
        Path broken = clone.resolve("protocol/src/main/java/io/sockwave/protocol/Opcode.java");
        Files.writeString(broken, "class Broken {", java.nio.file.StandardOpenOption.APPEND);

        try (SockwaveProcess build = SockwaveProcess.startCommand(clone, Map.of(), "./" + WRAPPER, "--version")) {
            assertEquals(1, build.awaitExit(BUILD_PATIENCE), build.toString());
            List<String> err = build.errLines();
            assertEquals("sockwave: building cli/target/sockwave.jar...", err.get(0), build.toString());
            assertEquals("sockwave: the build failed (see above)", err.get(err.size() - 1), build.toString());
            assertTrue(err.stream().anyMatch(line -> line.contains("Opcode.java")), build.toString());
            assertTrue(err.stream().noneMatch(line -> line.contains("\u001b[")), "no colour codes: " + build);
            assertTrue(build.outLines().isEmpty(), build.toString());
        }
        assertTrue(Files.notExists(clone.resolve("cli/target/sockwave.jar")));
    }

    /** Copies the working tree as a clone would have it: no .git, no build output. */
    private static void copySources(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && SKIPPED.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
