package io.sockwave.interop.matrix;

import io.sockwave.testsupport.ExternalProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * gorilla/websocket's peer (src/test/go), built once per run with Debian's Go and Debian's copy of gorilla in GOPATH
 * mode, so that nothing is fetched: no Go module proxy, no go.mod.
 */
final class GorillaPeer {
    static final Path SOURCES = Path.of("src", "test", "go");
    static final Path GOPATH = Path.of("/usr/share/gocode");
    static final Path GORILLA = GOPATH.resolve("src/github.com/gorilla/websocket");
    private static final Path BUILD = Path.of("target", "gorilla-peer");
    private static final String INSTALL = "apt-get install golang-go golang-github-gorilla-websocket-dev";

    private static Path binary;

    private GorillaPeer() {
    }

    /** @return the command that runs the peer in this role; skips (or under CI fails) when Go or gorilla is missing */
    static List<String> command(String role, List<String> args) {
        List<String> command = new ArrayList<>(List.of(binary().toString(), role));
        command.addAll(args);
        return command;
    }

    private static synchronized Path binary() {
        if (binary == null) {
            requireInstalled();
            binary = build();
        }
        return binary;
    }

    private static void requireInstalled() {
        if (ExternalProgram.installed("go") && Files.isDirectory(GORILLA)) {
            return;
        }
        String missing = "Go or gorilla/websocket is not installed: " + INSTALL;
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(missing + "; .ci/run installs them, so under CI=true this is an error");
        }
        Assumptions.abort(missing);
    }

    private static Path build() {
        try {
            Files.createDirectories(BUILD);
            Path out = BUILD.resolve("gorilla-peer").toAbsolutePath();
            ProcessBuilder go = new ProcessBuilder("go", "build", "-o", out.toString(), ".")
                    .directory(SOURCES.toFile()).redirectErrorStream(true);
            go.environment().put("GO111MODULE", "off");
            go.environment().put("GOPATH", GOPATH.toString());
            go.environment().put("GOCACHE", BUILD.resolve("cache").toAbsolutePath().toString());
            go.environment().put("GOFLAGS", "");
            go.environment().put("GOPROXY", "off");
            // No C toolchain needed: the peer only dials and listens on 127.0.0.1.
            go.environment().put("CGO_ENABLED", "0");
            Process build = go.start();
            String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!build.waitFor(300, TimeUnit.SECONDS)) {
                build.destroyForcibly();
                throw new IllegalStateException("go build did not finish within 300 s: " + output);
            }
            if (build.exitValue() != 0) {
                throw new IllegalStateException("go build of the gorilla peer failed: " + output);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("go build of the gorilla peer could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the gorilla peer", e);
        }
    }

    /** @return gorilla's Debian version without its revision (1.5.0), or null when dpkg does not know it */
    static String version() {
        try {
            Process dpkg = new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}",
                    "golang-github-gorilla-websocket-dev").redirectErrorStream(true).start();
            String version = new String(dpkg.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return dpkg.waitFor(20, TimeUnit.SECONDS) && dpkg.exitValue() == 0
                    ? version.replaceFirst("-[^-]*$", "") : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
