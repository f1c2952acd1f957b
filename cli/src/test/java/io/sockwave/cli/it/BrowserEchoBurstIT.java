package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.cli.it.SockwaveProcess.Served;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Issue #23 as a browser met it: a page sends 100 messages of 1 KiB from {@code ws.send} in a loop, before reading,
 * to {@code /echo} of {@code sockwave serve}. Their echoes cross the 64 KiB high watermark within one loop turn;
 * before the fix the endpoint's suspended reading was never resumed and Chromium got 79 to 81 of 100. Without
 * permessage-deflate this fails before the fix; with it (as Chromium offers it) the compressed echoes stay under the
 * watermark, which hid the bug, so that case is a control that the browser's default path works too.
 */
class BrowserEchoBurstIT {
    private static final String BURST = """
            const [url, count, size, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
            const ws = new WebSocket(url);
            const sent = [];
            let echoed = 0, mismatch = null;
            const timer = setTimeout(() => done({echoed, mismatch, extensions: ws.extensions, timedOut: true}), 15000);
            ws.onopen = () => {
              for (let i = 0; i < count; i++) {
                const text = String(i).padStart(6, '0') + 'x'.repeat(size - 6);
                sent.push(text);
                ws.send(text);
              }
            };
            ws.onmessage = (event) => {
              if (event.data !== sent[echoed] && mismatch === null) mismatch = echoed;
              if (++echoed === count) { clearTimeout(timer); ws.close(1000); }
            };
            ws.onclose = (event) => {
              clearTimeout(timer);
              done({echoed, mismatch, extensions: ws.extensions, code: event.code, timedOut: false});
            };
            ws.onerror = () => {};
            """;

    @BeforeAll
    static void requireChromium() {
        HeadlessChromium.require();
    }

    @ParameterizedTest(name = "compression: {0}")
    @ValueSource(booleans = {false, true})
    void everyMessageOfABurstFromTheBrowserIsEchoed(boolean compression, @TempDir Path profile) throws Exception {
        try (Served server = SockwaveProcess.serve(compression ? "--compression" : "--no-compression")) {
            WebDriver driver = HeadlessChromium.start(profile, false);
            try {
                String origin = "http://127.0.0.1:" + server.port();
                driver.get(origin + "/");
                @SuppressWarnings("unchecked")
                Map<String, Object> result = (Map<String, Object>) ((JavascriptExecutor) driver)
                        .executeAsyncScript(BURST, "ws://127.0.0.1:" + server.port() + "/echo", 100, 1024);
                assertEquals(100L, ((Number) result.get("echoed")).longValue(), result.toString());
                assertEquals(null, result.get("mismatch"), "echoes in order: " + result);
                assertEquals(1000L, ((Number) result.get("code")).longValue(), "a clean close: " + result);
                assertEquals(compression, String.valueOf(result.get("extensions")).contains("permessage-deflate"),
                        result.toString());
            } finally {
                driver.quit();
            }
        }
    }
}
