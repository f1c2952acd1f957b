package io.sockwave.interop.matrix;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium's WebSocket (Debian's chromium, driven by Selenium through Debian's chromium-driver, as the cli's
 * BrowserChatIT does), on a page the test serves from 127.0.0.1. The browser runs with
 * {@code --ignore-certificate-errors}, so that it takes the test's self-signed certificate for wss://.
 */
final class ChromiumClient implements PeerClient {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final HttpServer pages;
    private final WebDriver driver;
    private final Path profile;

    ChromiumClient() throws IOException {
        byte[] page;
        try (InputStream in = ChromiumClient.class.getResourceAsStream("/chromium/matrix.html")) {
            page = in.readAllBytes();
        }
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        pages.start();
        profile = Files.createTempDirectory("sockwave-interop-chromium");
        // The driver path is given explicitly, so that Selenium Manager is never asked to find or fetch one.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--ignore-certificate-errors", "--user-data-dir=" + profile);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** @return the browser's version, e.g. 156.0.8078.114 */
    String version() {
        return ((ChromeDriver) driver).getCapabilities().getBrowserVersion();
    }

    @Override
    public String tlsNote() {
        return "run with --ignore-certificate-errors rather than given the test CA";
    }

    @Override
    public Link connect(URI uri, Setup setup) {
        driver.get("http://127.0.0.1:" + pages.getAddress().getPort() + "/");
        JavascriptExecutor js = (JavascriptExecutor) driver;
        @SuppressWarnings("unchecked")
        Map<String, Object> opened = (Map<String, Object>) js.executeAsyncScript(
                "t.open(arguments[0], arguments[1], arguments[arguments.length - 1])",
                uri.toString(), setup.subprotocols());
        if (opened.containsKey("error")) {
            throw new IllegalStateException("Chromium could not open " + uri + ": " + opened.get("error"));
        }
        String protocol = (String) opened.get("protocol");
        return new ChromiumLink(js, protocol.isEmpty() ? null : protocol, (String) opened.get("extensions"));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            pages.stop(0);
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record ChromiumLink(JavascriptExecutor js, String subprotocol, String extensions) implements BrowserLink {
        @Override
        public void send(Payload payload) {
            js.executeScript("t.send(arguments[0], arguments[1], arguments[2])", payload.text(), payload.size(),
                    payload.literal());
        }

        @Override
        public void close(int code, String reason) {
            js.executeScript("t.ws.close(arguments[0], arguments[1])", code, reason);
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            do {
                @SuppressWarnings("unchecked")
                Map<String, Object> event = (Map<String, Object>) js.executeScript("return t.events.shift() || null");
                if (event != null) {
                    return toReceived(event);
                }
                Thread.sleep(20);
            } while (System.nanoTime() < deadline);
            return null;
        }

        private static Received toReceived(Map<String, Object> event) {
            return switch ((String) event.get("type")) {
                case "text" -> new Received.Message(true, ((Number) event.get("length")).intValue(),
                        (String) event.get("sha256"));
                case "binary" -> new Received.Message(false, ((Number) event.get("length")).intValue(),
                        (String) event.get("sha256"));
                case "closed" -> new Received.Closed(((Number) event.get("code")).intValue(),
                        (String) event.get("reason"));
                default -> throw new IllegalStateException("the page failed: " + event);
            };
        }

        @Override
        public void close() {
            js.executeScript("if (t.ws && t.ws.readyState < 2) t.ws.close()");
        }
    }
}
