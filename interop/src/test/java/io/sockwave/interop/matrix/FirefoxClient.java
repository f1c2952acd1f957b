package io.sockwave.interop.matrix;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sockwave.testsupport.ExternalProgram;
import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Firefox ESR's WebSocket (Debian's firefox-esr), without WebDriver (Debian has no geckodriver): one
 * browser for the class, started on a page the test serves from 127.0.0.1. The page is Chromium's (window.t) with
 * resources/firefox/remote.js after it, which long-polls the test for commands and posts back what happened, as the
 * lines of {@link ScriptedClient}. Each connection gets a fresh load of the page, as Chromium's does. The browser
 * trusts the test's certificate through its profile's own NSS database, filled by certutil (libnss3-tools).
 */
final class FirefoxClient implements PeerClient {
    static final String FIREFOX = "firefox-esr";
    static final String CERTUTIL = "certutil";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofSeconds(1);
    /**
     * Keeps Firefox on loopback and to the test's pages: every name resolves to 127.0.0.1 (its background services
     * look up Mozilla's hosts even with most of them off), whatever is not for 127.0.0.1 goes to a proxy on the closed
     * port 9, and there are no first-run pages or calls home.
     */
    private static final List<String> PREFERENCES = List.of(
            "network.dns.forceResolve\", \"127.0.0.1\"",
            "network.trr.mode\", 5",
            "network.proxy.type\", 1",
            "network.proxy.http\", \"127.0.0.1\"",
            "network.proxy.http_port\", 9",
            "network.proxy.ssl\", \"127.0.0.1\"",
            "network.proxy.ssl_port\", 9",
            "network.proxy.allow_hijacking_localhost\", false",
            "browser.shell.checkDefaultBrowser\", false",
            "browser.startup.homepage_override.mstone\", \"ignore\"",
            "browser.aboutwelcome.enabled\", false",
            "datareporting.policy.dataSubmissionEnabled\", false",
            "datareporting.healthreport.uploadEnabled\", false",
            "toolkit.telemetry.reportingpolicy.firstRun\", false",
            "app.update.disabledForTesting\", true",
            "app.normandy.enabled\", false",
            "extensions.update.enabled\", false",
            "extensions.getAddons.cache.enabled\", false",
            "browser.safebrowsing.malware.enabled\", false",
            "browser.safebrowsing.phishing.enabled\", false",
            "browser.safebrowsing.downloads.enabled\", false",
            "network.captive-portal-service.enabled\", false",
            "network.connectivity-service.enabled\", false",
            "network.dns.disablePrefetch\", true",
            "network.prefetch-next\", false",
            "services.settings.server\", \"http://127.0.0.1:9/\"",
            "dom.push.connection.enabled\", false",
            "browser.newtabpage.enabled\", false",
            "browser.startup.page\", 0");

    private final byte[] page;
    private final ExecutorService handlers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "interop-firefox-page");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpServer pages;
    private final Path profile;
    private final boolean trustsTestCertificate;
    private final CompletableFuture<Void> firstPoll = new CompletableFuture<>();
    private volatile Load current = new Load(0);
    private ExternalProgram firefox;

    /** One load of the page: the commands it has not fetched yet, and the lines it posted. */
    private record Load(int generation, BlockingQueue<String> commands, BlockingQueue<String[]> events) {
        Load(int generation) {
            this(generation, new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
        }
    }

    FirefoxClient() throws IOException, InterruptedException {
        page = page();
        profile = Files.createTempDirectory("sockwave-interop-firefox");
        try {
            Files.writeString(profile.resolve("user.js"), preferences());
            trustsTestCertificate = trust(TestCertificates.loopback());
            pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            pages.setExecutor(handlers);
            pages.createContext("/", this::serve);
            pages.start();
            firefox = ExternalProgram.start(FIREFOX, List.of(FIREFOX, "--headless", "--no-remote", "--profile",
                    profile.toString(), pageUrl(0)));
            try {
                firstPoll.get(START.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("Firefox did not load the page within " + START + "; its output:\n"
                        + firefox.logTail(), e);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static byte[] page() throws IOException {
        try (InputStream html = FirefoxClient.class.getResourceAsStream("/chromium/matrix.html");
             InputStream remote = FirefoxClient.class.getResourceAsStream("/firefox/remote.js")) {
            String both = new String(html.readAllBytes(), StandardCharsets.UTF_8) + "<script>\n"
                    + new String(remote.readAllBytes(), StandardCharsets.UTF_8) + "</script>\n";
            return both.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String preferences() {
        StringBuilder prefs = new StringBuilder();
        for (String preference : PREFERENCES) {
            prefs.append("user_pref(\"").append(preference).append(");\n");
        }
        return prefs.toString();
    }

    /** Puts the test's certificate in the profile's NSS database as trusted for TLS servers, when certutil exists. */
    private boolean trust(TestCertificates certificates) throws IOException, InterruptedException {
        if (!ExternalProgram.installed(CERTUTIL)) {
            return false;
        }
        String database = "sql:" + profile;
        run(CERTUTIL, "-N", "-d", database, "--empty-password");
        run(CERTUTIL, "-A", "-d", database, "-n", "sockwave-interop", "-t", "C,,", "-i",
                certificates.certificatePem().toString());
        return true;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private String pageUrl(int generation) {
        return "http://127.0.0.1:" + pages.getAddress().getPort() + "/?g=" + generation;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getQuery();
            int generation = query != null && query.startsWith("g=") ? Integer.parseInt(query.substring(2)) : -1;
            Load load = current;
            switch (exchange.getRequestURI().getPath()) {
                case "/" -> reply(exchange, 200, "text/html; charset=utf-8", page);
                case "/command" -> {
                    firstPoll.complete(null);
                    // An earlier load is told to move on to the current one; the current one waits for a command.
                    String command = generation != load.generation() ? "goto\t" + load.generation()
                            : load.commands().poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (command == null) {
                        reply(exchange, 204, null, null);
                    } else {
                        reply(exchange, 200, "text/plain; charset=utf-8", command.getBytes(StandardCharsets.UTF_8));
                    }
                }
                case "/event" -> {
                    String line = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    if (generation == load.generation()) {
                        load.events().add(line.split("\t", -1));
                    }
                    reply(exchange, 204, null, null);
                }
                default -> reply(exchange, 404, null, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        if (type != null) {
            exchange.getResponseHeaders().add("Content-Type", type);
        }
        exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) {
            exchange.getResponseBody().write(body);
        }
    }

    /** @return the browser's version, e.g. 153.8.0esr */
    static String version() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(FIREFOX, "--version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("firefox-esr --version failed: " + output);
        }
        return output.replaceFirst("^.*?(\\d\\S*)$", "$1");
    }

    @Override
    public String extensionParametersHidden() {
        return "Firefox's WebSocket.extensions names the extension only";
    }

    @Override
    public Link connect(URI uri, Setup setup) throws Exception {
        if (setup.tls() != null && !trustsTestCertificate) {
            String missing = "certutil is not installed, so Firefox cannot trust the test's certificate: "
                    + "apt-get install libnss3-tools";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(missing + " (.ci/run installs it)");
            }
            Assumptions.abort(missing);
        }
        Load previous = current;
        Load load = new Load(previous.generation() + 1);
        load.commands().add(String.join("\t", "open", uri.toString(),
                setup.subprotocols().isEmpty() ? "-" : String.join(",", setup.subprotocols())));
        current = load;
        previous.commands().add("goto\t" + load.generation());
        String[] open = load.events().poll(START.toSeconds(), TimeUnit.SECONDS);
        if (open == null || !"open".equals(open[0])) {
            throw new IllegalStateException("Firefox could not open " + uri + ": "
                    + (open == null ? "no answer within " + START : String.join(" ", open)
                    + ("error".equals(open[0]) ? " " + ScriptedClient.unb64(open[1]) : "")));
        }
        return new FirefoxLink(load, "-".equals(open[1]) ? null : open[1], "-".equals(open[2]) ? "" : open[2]);
    }

    @Override
    public void close() throws IOException {
        try {
            if (firefox != null) {
                firefox.close();
            }
        } finally {
            if (pages != null) {
                pages.stop(0);
            }
            handlers.shutdownNow();
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record FirefoxLink(Load load, String subprotocol, String extensions) implements BrowserLink {
        @Override
        public void send(Payload payload) {
            load.commands().add(String.join("\t", "send", payload.text() ? "text" : "binary",
                    Integer.toString(payload.size()),
                    payload.literal() == null ? "-" : ScriptedClient.b64(payload.literal())));
        }

        @Override
        public void close(int code, String reason) {
            load.commands().add(String.join("\t", "close", Integer.toString(code), ScriptedClient.b64(reason)));
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            String[] line = load.events().poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                return null;
            }
            return switch (line[0]) {
                case "text", "binary" -> new Received.Message("text".equals(line[0]), Integer.parseInt(line[1]),
                        line[2]);
                case "closed" -> new Received.Closed(Integer.parseInt(line[1]), ScriptedClient.unb64(line[2]));
                default -> throw new IllegalStateException("the page failed: " + String.join(" ", line)
                        + ("error".equals(line[0]) ? " " + ScriptedClient.unb64(line[1]) : ""));
            };
        }

        @Override
        public void close() {
            load.commands().add("end");
        }
    }
}
