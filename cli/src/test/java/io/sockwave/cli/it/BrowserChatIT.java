package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.cli.it.SockwaveProcess.Served;
import io.sockwave.testsupport.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in headless Chromium ({@link HeadlessChromium}). Two pages on a phone-sized window talk to each
 * other; a screenshot is kept in target/it-artifacts.
 */
class BrowserChatIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @BeforeAll
    static void requireChromium() {
        HeadlessChromium.require();
    }

    private static WebDriver browser(Path profile) {
        return HeadlessChromium.start(profile, true);
    }

    private static WebDriverWait waiting(WebDriver driver) {
        return new WebDriverWait(driver, PATIENCE);
    }

    private static void awaitState(WebDriver driver, String state) {
        waiting(driver).withMessage(() -> "status: " + driver.findElement(By.id("status")).getText())
                .until(d -> state.equals(d.findElement(By.id("status")).getAttribute("data-state")));
    }

    /**
     * The page shows its name and room with the server's welcome, which follows the join (a round trip to Redis with
     * {@code --redis}), so after the socket opened.
     */
    private static void awaitIdentity(WebDriver driver, String id, String text) {
        waiting(driver).withMessage(() -> id + ": " + driver.findElement(By.id(id)).getText())
                .until(d -> text.equals(d.findElement(By.id(id)).getText()));
    }

    private static void awaitCount(WebDriver driver, String count) {
        waiting(driver).withMessage(() -> "count: " + driver.findElement(By.id("count")).getText())
                .until(d -> count.equals(d.findElement(By.id("count")).getText()));
    }

    @Test
    void twoPagesChatAndSeeEachOtherAndTheCount(@TempDir Path profile) throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            String page = "http://127.0.0.1:" + server.port() + "/";
            WebDriver driver = browser(profile);
            try {
                driver.get(page + "?name=alice");
                String alice = driver.getWindowHandle();
                awaitState(driver, "open");
                assertEquals("connected", driver.findElement(By.id("status")).getText());
                awaitIdentity(driver, "me", "alice");

                driver.switchTo().newWindow(WindowType.TAB);
                driver.get(page + "?name=bob");
                String bob = driver.getWindowHandle();
                awaitState(driver, "open");
                awaitCount(driver, "2");

                driver.switchTo().window(alice);
                awaitCount(driver, "2");
                String text = "<b>hi</b> from alice & \u00e9t\u00e9 \u2713";
                driver.findElement(By.id("text")).sendKeys(text);
                driver.findElement(By.id("send")).click();

                driver.switchTo().window(bob);
                WebElement message = waiting(driver).withMessage(() -> "no message in " + logText(driver))
                        .until(d -> d.findElements(By.cssSelector("#log li.message")).stream()
                                .filter(li -> li.findElement(By.className("text")).getText().equals(text))
                                .findFirst().orElse(null));
                assertEquals("alice", message.findElement(By.className("from")).getText());
                assertEquals("2", driver.findElement(By.id("count")).getText());
                assertTrue(driver.findElements(By.cssSelector("#log b")).isEmpty(), "user text must not be HTML");
                assertTrue(logText(driver).contains("bob joined"), logText(driver));

                assertFitsAPhone(driver);
                Path shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, SockwaveProcess.artifacts().resolve("chat.png"), StandardCopyOption.REPLACE_EXISTING);

                driver.close();
                driver.switchTo().window(alice);
                awaitCount(driver, "1");
                assertTrue(logText(driver).contains("bob left"), logText(driver));
            } finally {
                driver.quit();
            }
        }
    }

    @Test
    void pageShowsTheDisconnectAndReconnectsWhenTheServerReturns(@TempDir Path profile) throws Exception {
        WebDriver driver = browser(profile);
        try {
            int port;
            try (Served first = SockwaveProcess.serve()) {
                port = first.port();
                driver.get("http://127.0.0.1:" + port + "/");
                awaitState(driver, "open");
                first.process().signal("TERM");
                first.process().awaitExit();
            }
            awaitState(driver, "closed");
            String status = driver.findElement(By.id("status")).getText();
            assertTrue(status.startsWith("server went away, retrying in "), status);
            assertTrue(driver.findElement(By.id("send")).getAttribute("disabled") != null, "no sending while down");

            try (SockwaveProcess second = SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port",
                    Integer.toString(port))) {
                second.awaitPort();
                awaitState(driver, "open");
                awaitCount(driver, "1");
            }
        } finally {
            driver.quit();
        }
    }

    /**
     * Two pages on two {@code serve --redis} nodes, each behind an nginx that sends it to its node while that node
     * lives and to the other one after: a message crosses nodes; then the first page's node is killed, a message is
     * said while that page is away, and the page, reconnecting through nginx to the other node with since, shows it.
     */
    @Test
    void pagesOnTwoNodesChatAndAPageOfAKilledNodeShowsWhatItMissed(@TempDir Path profile) throws Exception {
        List<SockwaveProcess> started = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE)) {
            for (int i = 0; i < 2; i++) {
                started.add(SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port", "0", "--quiet",
                        "--redis", redis.uri(), "--node-id", "b" + i));
            }
            int first = started.get(0).awaitPort(Duration.ofSeconds(90));
            int second = started.get(1).awaitPort(Duration.ofSeconds(90));
            try (NginxFront toFirst = NginxFront.startWithBackup(first, second);
                 NginxFront toSecond = NginxFront.startWithBackup(second, first)) {
                WebDriver driver = browser(profile);
                try {
                    // no ?name=: a guest takes a new guest name when it reconnects, so its old one, still held
                    // until the dead node's members are reaped, is no obstacle
                    driver.get(toFirst.httpBase() + "/?room=pair");
                    String guest = driver.getWindowHandle();
                    awaitState(driver, "open");
                    driver.switchTo().newWindow(WindowType.TAB);
                    driver.get(toSecond.httpBase() + "/?room=pair&name=bob");
                    String bob = driver.getWindowHandle();
                    awaitState(driver, "open");
                    awaitIdentity(driver, "room", "pair");

                    driver.switchTo().window(guest);
                    awaitCount(driver, "2");
                    say(driver, "across nodes");
                    driver.switchTo().window(bob);
                    awaitMessage(driver, "across nodes");

                    started.get(0).signal("KILL");
                    say(driver, "while you were away");
                    driver.switchTo().window(guest);
                    awaitMessage(driver, "while you were away");
                    awaitState(driver, "open");
                    assertTrue(logText(driver).indexOf("across nodes") < logText(driver).indexOf("while you were away"));
                } finally {
                    driver.quit();
                }
            }
        } finally {
            started.forEach(SockwaveProcess::close);
        }
    }

    /**
     * A name held on another node is refused with 1013 and when it is free if that node stopped; a live holder keeps
     * it, and the page retried for ever, every retry refused. A name the page never had is retried once, after the
     * time the server said (long enough for a stopped node to be reaped), and then the page says it was refused.
     */
    @Test
    void aNameInUseOnAnotherNodeIsRetriedOnceThenRefused(@TempDir Path profile) throws Exception {
        List<SockwaveProcess> started = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE)) {
            for (int i = 0; i < 2; i++) {
                started.add(SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port", "0", "--quiet",
                        "--redis", redis.uri(), "--node-id", "h" + i));
            }
            int first = started.get(0).awaitPort(Duration.ofSeconds(90));
            int second = started.get(1).awaitPort(Duration.ofSeconds(90));
            WebDriver driver = browser(profile);
            try {
                driver.get("http://127.0.0.1:" + first + "/?room=held&name=alice");
                awaitState(driver, "open");
                awaitIdentity(driver, "me", "alice");
                driver.switchTo().newWindow(WindowType.TAB);
                driver.get("http://127.0.0.1:" + second + "/?room=held&name=alice");
                // the server's wait is the holder's lease left and the reap's delay: 13 s at most
                new WebDriverWait(driver, Duration.ofSeconds(60))
                        .withMessage(() -> "status: " + driver.findElement(By.id("status")).getText())
                        .until(d -> d.findElement(By.id("status")).getText().startsWith("refused: "));
                String status = driver.findElement(By.id("status")).getText();
                assertTrue(status.startsWith("refused: the name alice may be in use on another node; if that node"
                        + " stopped, the name is free in "), status);
                assertEquals("closed", driver.findElement(By.id("status")).getAttribute("data-state"));
            } finally {
                driver.quit();
            }
        } finally {
            started.forEach(SockwaveProcess::close);
        }
    }

    private static void say(WebDriver driver, String text) {
        driver.findElement(By.id("text")).sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    private static void awaitMessage(WebDriver driver, String text) {
        waiting(driver).withMessage(() -> "no message " + text + " in " + logText(driver))
                .until(d -> d.findElements(By.cssSelector("#log li.message .text")).stream()
                        .anyMatch(element -> element.getText().equals(text)));
    }

    private static String logText(WebDriver driver) {
        return driver.findElement(By.id("log")).getText();
    }

    /** The whole composer is on screen and nothing overflows sideways at phone width. */
    private static void assertFitsAPhone(WebDriver driver) {
        @SuppressWarnings("unchecked")
        List<Number> sizes = (List<Number>) ((JavascriptExecutor) driver).executeScript(
                "const r = document.getElementById('send').getBoundingClientRect();"
                        + "return [r.right, r.bottom, window.innerWidth, window.innerHeight,"
                        + " document.documentElement.scrollWidth];");
        double right = sizes.get(0).doubleValue();
        double bottom = sizes.get(1).doubleValue();
        double width = sizes.get(2).doubleValue();
        double height = sizes.get(3).doubleValue();
        assertTrue(width <= 400, "a phone-sized window: " + sizes);
        assertTrue(right <= width && bottom <= height, "send button on screen: " + sizes);
        assertTrue(sizes.get(4).doubleValue() <= width, "no sideways scrolling: " + sizes);
    }
}
