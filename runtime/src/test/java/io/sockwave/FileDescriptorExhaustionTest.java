package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server out of file descriptors (issue #14, defect 1): a child JVM runs a server under {@code ulimit -n 64}, the
 * test fills its descriptors with connections, then lets them go. The server must log the failed accepts a bounded
 * number of times without spinning, keep its listening socket, keep serving the sessions it has, and accept again by
 * itself once descriptors free up. The child has logged nothing before it runs out, so its first log line is written
 * with no descriptor to spare. A client under the same limit fails the connect that finds no descriptor, at once and
 * saying why, keeps its sessions, and connects again once some are closed.
 */
@Timeout(90)
class FileDescriptorExhaustionTest {
    private static final int DESCRIPTOR_LIMIT = 64;
    private static final int CONNECTIONS = 120;

    /** The server the child JVM runs: an echo route on one loop; it stops when its standard input closes. */
    public static final class LimitedServer {
        public static void main(String[] args) throws Exception {
            try (Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                    .route("/echo", new EchoListener()).build().start()) {
                echoOnce(server.port());
                System.out.println("PORT " + server.port());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // Runs until the test closes the pipe.
                }
            }
        }

        /**
         * Serves one session before descriptors run out, as a server in service has: the classes of the handshake
         * and of framing are loaded then. (Run from directories of class files, as here, a class first loaded with
         * no descriptor to spare fails for good; from a jar, whose descriptor is held open, it would not.) Nothing
         * is logged by this, so the first log line still comes once descriptors have run out.
         */
        private static void echoOnce(int port) throws Exception {
            try (Client client = Client.create(1)) {
                CompletableFuture<String> echoed = new CompletableFuture<>();
                Session session = client.connect(URI.create("ws://127.0.0.1:" + port + "/echo"), new Listener() {
                    @Override
                    public void onText(Session s, String text) {
                        echoed.complete(text);
                    }
                }).get(10, TimeUnit.SECONDS);
                session.sendText("warm");
                echoed.get(10, TimeUnit.SECONDS);
                session.close(1000, "").get(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The client the child JVM runs: connects to the port in its first argument until a connect fails for want of
     * descriptors, and reports on standard output how that connect ended and whether the sessions it holds still
     * echo; then it closes a few of them and reports a connect made with the descriptors they freed.
     */
    public static final class LimitedClient {
        public static void main(String[] args) throws Exception {
            URI uri = URI.create("ws://127.0.0.1:" + args[0] + "/echo");
            try (Client client = Client.create(1)) {
                warmUp(client, uri);
                List<Session> sessions = new ArrayList<>();
                List<CompletableFuture<String>> echoes = new ArrayList<>();
                String failure = null;
                long failedInMillis = -1;
                for (int i = 0; i < CONNECTIONS && failure == null; i++) {
                    CompletableFuture<String> echoed = new CompletableFuture<>();
                    long start = System.nanoTime();
                    try {
                        sessions.add(client.connect(uri, echoInto(echoed)).get(20, TimeUnit.SECONDS));
                        echoes.add(echoed);
                    } catch (java.util.concurrent.ExecutionException e) {
                        failure = e.getCause().toString();
                        failedInMillis = (System.nanoTime() - start) / 1_000_000;
                    }
                }
                System.out.println("FAILED " + failedInMillis + " ms after " + sessions.size() + " sessions: "
                        + failure);
                Session first = sessions.get(0);
                first.sendText("during");
                System.out.println("ECHO " + echoes.get(0).get(10, TimeUnit.SECONDS));
                for (int i = sessions.size() - 1; i >= sessions.size() - 4; i--) {
                    sessions.get(i).close(1000, "").get(10, TimeUnit.SECONDS);
                }
                Thread.sleep(500);
                CompletableFuture<String> again = new CompletableFuture<>();
                client.connect(uri, echoInto(again)).get(20, TimeUnit.SECONDS).sendText("again");
                System.out.println("ECHO " + again.get(10, TimeUnit.SECONDS));
                System.out.flush();
            }
        }

        /**
         * Loads, with descriptors to spare, the classes of a send, an echo, a close and a log line, as a client in
         * service has (see {@link LimitedServer#echoOnce}); this logs nothing.
         */
        private static void warmUp(Client client, URI uri) throws Exception {
            Class.forName("io.sockwave.runtime.LoopLog");
            CompletableFuture<String> echoed = new CompletableFuture<>();
            Session session = client.connect(uri, echoInto(echoed)).get(10, TimeUnit.SECONDS);
            session.sendText("warm");
            echoed.get(10, TimeUnit.SECONDS);
            session.close(1000, "").get(10, TimeUnit.SECONDS);
        }

        private static Listener echoInto(CompletableFuture<String> echoed) {
            return new Listener() {
                @Override
                public void onText(Session s, String text) {
                    echoed.complete(text);
                }
            };
        }
    }

    @TempDir
    Path dir;

    @Test
    void acceptBacksOffLogsBoundedAndRecoversWhenDescriptorsFreeUp() throws Exception {
        Path log = dir.resolve("server.log");
        Process child = startLimitedServer(log);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("PORT "), "child did not start: " + first
                    + "\n" + Files.readString(log));
            int port = Integer.parseInt(first.substring(5).trim());

            RawSocket existing = RawSocket.connect(port).open("/echo");
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                // The kernel completes these from the backlog even once the server can no longer accept them.
                held.add(new Socket("127.0.0.1", port));
            }
            Thread.sleep(1_000);
            long cpuBefore = cpuTicks(child.pid());
            Thread.sleep(3_000);
            long cpuTicks = cpuTicks(child.pid()) - cpuBefore;
            String during = Files.readString(log);
            long failureLines = during.lines().filter(l -> l.contains("accept failed")).count();
            assertTrue(failureLines >= 1, "the failed accepts were not logged:\n" + tail(during));
            assertTrue(failureLines <= 2, failureLines + " log lines about failed accepts in 4 s:\n" + tail(during));
            // 100 ticks a second: a loop retrying accept at once would burn most of the 3 s.
            assertTrue(cpuTicks < 100, "the server used " + cpuTicks + " CPU ticks in 3 s while out of descriptors");
            assertTrue(child.isAlive(), "the server process ended:\n" + tail(during));
            // A session opened before the shortage is served throughout: it needs no new descriptor.
            existing.write(RawSocket.masked(0x81, "during"));
            assertEquals("during", new String(existing.readFrame().payload(), StandardCharsets.UTF_8));
            existing.close();

            for (Socket socket : held) {
                socket.close();
            }
            assertEchoWithin(port, TimeUnit.SECONDS.toNanos(20), log);
            assertTrue(Files.readString(log).contains("accepting connections again"), tail(Files.readString(log)));
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The client's side: a connect that finds no descriptor fails its future at once with the reason, the sessions
     * already open are served, and connecting works again once a few are closed.
     */
    @Test
    void aClientOutOfDescriptorsFailsTheConnectAndConnectsAgainOnceSomeAreFree() throws Exception {
        Path log = dir.resolve("client.log");
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/echo", new EchoListener())
                .build().start()) {
            Process child = startLimited(LimitedClient.class, log, Integer.toString(server.port()));
            try {
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the client did not finish");
                List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .lines().toList();
                String report = String.join("\n", lines) + "\n" + tail(Files.readString(log));
                assertEquals(3, lines.size(), report);
                assertTrue(lines.get(0).startsWith("FAILED ") && lines.get(0).contains("Too many open files"), report);
                long failedInMillis = Long.parseLong(lines.get(0).split(" ")[1]);
                assertTrue(failedInMillis >= 0 && failedInMillis < 5_000, report);
                assertEquals(List.of("ECHO during", "ECHO again"), lines.subList(1, 3), report);
                assertEquals(0, child.exitValue(), report);
            } finally {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void assertEchoWithin(int port, long nanos, Path log) throws Exception {
        long deadline = System.nanoTime() + nanos;
        while (true) {
            try (RawSocket socket = RawSocket.connect(port)) {
                socket.open("/echo");
                socket.write(RawSocket.masked(0x81, "still here"));
                RawSocket.Frame echo = socket.readFrame();
                assertEquals("still here", new String(echo.payload(), StandardCharsets.UTF_8));
                return;
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the server did not accept again after descriptors freed up:\n"
                            + tail(Files.readString(log)), e);
                }
                Thread.sleep(200);
            }
        }
    }

    private Process startLimitedServer(Path log) throws IOException {
        return startLimited(LimitedServer.class, log);
    }

    private static Process startLimited(Class<?> main, Path log, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n " + DESCRIPTOR_LIMIT + " && exec \"$0\" -Xmx128m -cp \"$1\" \"$2\" \"${@:3}\"";
        List<String> commandLine = new ArrayList<>(List.of("bash", "-c", command, java, classDirectories(),
                main.getName()));
        commandLine.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(commandLine);
        builder.redirectError(log.toFile());
        return builder.start();
    }

    /**
     * @return the directories of this test run's path (the module's classes, its tests) and the protocol module,
     *     a directory or, in a build that packaged it, its jar; other jars are left out so that few of the child's
     *     descriptors go to them
     */
    private static String classDirectories() {
        List<String> dirs = new ArrayList<>();
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property);
            if (value == null) {
                continue;
            }
            for (String entry : value.split(File.pathSeparator)) {
                File file = new File(entry);
                boolean ours = file.isDirectory() || file.getName().startsWith("sockwave-protocol");
                if (!entry.isEmpty() && ours && !dirs.contains(entry)) {
                    dirs.add(entry);
                }
            }
        }
        return String.join(File.pathSeparator, dirs);
    }

    /** @return user plus system CPU time of a process, in clock ticks (see proc(5)) */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 14 and 15 of the whole line; the split starts at field 3.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }
}
