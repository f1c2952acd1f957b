package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium and chromium-driver, driven by Selenium with the installed driver: no browser or driver is
 * downloaded, and the flags keep a headless browser off the network but for the test's loopback server.
 */
final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Aborts the test where Chromium is missing, and fails it under CI, whose .ci/run installs it. */
    static void require() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String missing = "headless Chromium is not installed: " + CHROMIUM + " and " + CHROMEDRIVER
                + " come from Debian's chromium and chromium-driver packages";
        if ("true".equals(System.getenv("CI"))) {
            fail(missing + "; .ci/run installs them, so under CI=true this is an error");
        }
        Assumptions.abort(missing + " (apt-get install -y chromium chromium-driver to run this test)");
    }

    /**
     * @param profile an empty folder for the browser's profile
     * @param phone whether every tab renders as a 390 x 844 phone screen
     */
    static WebDriver start(Path profile, boolean phone) {
        // The driver path is given explicitly, so that Selenium Manager is never asked to find or fetch one.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=500,900");
        if (phone) {
            // Headless windows are at least 500 pixels wide, so the phone is emulated.
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", 390, "height", 844, "pixelRatio", 2.0, "touch", true, "mobile", true)));
        }
        return new ChromeDriver(service, options);
    }
}
