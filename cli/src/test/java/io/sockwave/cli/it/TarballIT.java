package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line tool as people install it without the source tree: sockwave-cli-VERSION.tar.gz unpacked into a
 * folder of its own, run through a link on the PATH from an unrelated working directory. The launcher finds the jar
 * from its own location, so neither the working directory nor the link's folder matters.
 */
class TarballIT {
    private static final String VERSION = System.getProperty("sockwave.version");
    private static final String TOP = "sockwave-cli-" + VERSION;
    /** The MIT and public-domain libraries the jar bundles, whose licences ask for their text to go with them. */
    private static final List<String> BUNDLED_LICENCE_TEXTS =
            List.of("HdrHistogram", "lettuce-core", "redis-authx-core", "slf4j");

    @Test
    void tarballHoldsTheLauncherTheJarAndTheLicence() throws Exception {
        List<String> listing = tar("-tvzf", tarball().toString());
        assertEntry(listing, "-rwxr-xr-x", TOP + "/bin/sockwave");
        assertEntry(listing, "-rw-r--r--", TOP + "/lib/sockwave.jar");
        assertEntry(listing, "-rw-r--r--", TOP + "/LICENSE");
        assertEntry(listing, "-rw-r--r--", TOP + "/NOTICE");
        assertEntry(listing, "-rw-r--r--", TOP + "/README.md");
        for (String library : BUNDLED_LICENCE_TEXTS) {
            assertEntry(listing, "-rw-r--r--", TOP + "/licenses/" + library + ".txt");
        }
    }

    @Test
    void jarCarriesSockwavesLicenceAndTheTextsOfTheLibrariesItBundles() throws Exception {
        // Shading kept whichever library's META-INF/LICENSE came last (Lettuce's MIT text), as if it were the jar's.
        try (JarFile jar = new JarFile(System.getProperty("sockwave.jar"))) {
            assertEquals(Files.readString(Path.of("../LICENSE")), entry(jar, "META-INF/LICENSE"));
            assertEquals(Files.readString(Path.of("../NOTICE")), entry(jar, "META-INF/NOTICE"));
            for (String library : BUNDLED_LICENCE_TEXTS) {
                String text = entry(jar, "META-INF/licenses/" + library + ".txt");
                assertEquals(Files.readString(Path.of("src/dist/licenses/" + library + ".txt")), text, library);
            }
            List<String> otherLicences = jar.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith("META-INF/LICENSE") || name.startsWith("META-INF/NOTICE"))
                    .filter(name -> !name.equals("META-INF/LICENSE") && !name.equals("META-INF/NOTICE")).toList();
            assertEquals(List.of(), otherLicences, "a library's licence file at the jar's top");
        }
    }

    private static String entry(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        assertTrue(entry != null, name + " is missing from " + jar.getName());
        try (var in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void installedLauncherRunsFromAnyDirectoryThroughALink(@TempDir Path root) throws Exception {
        // A space in the installation path: the launcher quotes every path it builds.
        Path opt = Files.createDirectories(root.resolve("opt dir"));
        tar("-xzf", tarball().toString(), "-C", opt.toString());
        Path links = Files.createDirectories(root.resolve("bin"));
        Path link = Files.createSymbolicLink(links.resolve("sockwave"), opt.resolve(TOP + "/bin/sockwave"));
        Path elsewhere = Files.createDirectories(root.resolve("work"));
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));

        try (SockwaveProcess version = SockwaveProcess.startCommand(elsewhere, env, link.toString(), "--version")) {
            assertEquals(0, version.awaitExit(), version.toString());
            assertEquals(List.of("sockwave " + VERSION), version.outLines(), version.toString());
        }

        try (SockwaveProcess serve = SockwaveProcess.startCommand(elsewhere, env, link.toString(), "serve",
                "--host", "127.0.0.1", "--port", "0")) {
            int port = serve.awaitPort();
            try (RawHttp http = new RawHttp(port)) {
                RawHttp.Response response = http.exchange(RawHttp.rfcUpgrade("/echo", port));
                assertEquals("HTTP/1.1 101 Switching Protocols", response.statusLine());
                assertEquals(RawHttp.RFC_ACCEPT, response.headers().get("sec-websocket-accept"));
            }
            serve.signal("TERM");
            serve.awaitExit();
        }
    }

    @Test
    void launcherWithoutItsJarSaysWhatIsMissing(@TempDir Path root) throws Exception {
        tar("-xzf", tarball().toString(), "-C", root.toString());
        Path home = root.resolve(TOP);
        Files.delete(home.resolve("lib/sockwave.jar"));

        try (SockwaveProcess broken = SockwaveProcess.startCommand(root, Map.of(),
                home.resolve("bin/sockwave").toString(), "--version")) {
            assertEquals(1, broken.awaitExit(), broken.toString());
            assertEquals(List.of("sockwave: " + home.toRealPath().resolve("lib/sockwave.jar")
                    + " is missing; reinstall from sockwave-cli-VERSION.tar.gz"), broken.errLines(), broken.toString());
        }
    }

    private static Path tarball() {
        String property = System.getProperty("sockwave.tarball");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            fail("the tarball is missing (" + property + "): run the integration tests with mvn verify");
        }
        return Path.of(property);
    }

    private static void assertEntry(List<String> listing, String mode, String path) {
        assertTrue(listing.stream().anyMatch(line -> line.startsWith(mode + " ") && line.endsWith(" " + path)),
                path + " with mode " + mode + " missing from:\n" + String.join("\n", listing));
    }

    /** Runs Debian's tar, which every machine that builds Sockwave has; returns its standard output. */
    private static List<String> tar(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(SockwaveProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " failed:\n" + output);
        }
        return output.lines().toList();
    }
}
