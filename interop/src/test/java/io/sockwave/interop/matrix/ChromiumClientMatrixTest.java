package io.sockwave.interop.matrix;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Headless Chromium as a client of Sockwave's server, feature by feature, one browser for the class. Chromium offers
 * permessage-deflate with {@code client_max_window_bits} on every connection; the server imposes the variants.
 */
class ChromiumClientMatrixTest {
    private static final Map<Feature, Outcome> PEER_BUGS = Map.of();
    private static ChromiumClient chromium;

    @BeforeAll
    static void startBrowser() throws Exception {
        if (!Files.isExecutable(ChromiumClient.CHROMIUM) || !Files.isExecutable(ChromiumClient.CHROMEDRIVER)) {
            String missing = "headless Chromium is not installed (Debian's chromium and chromium-driver)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(missing + "; .ci/run installs them, so under CI=true this is an error");
            }
            Assumptions.abort(missing + ": apt-get install -y chromium chromium-driver");
        }
        chromium = new ChromiumClient();
        Matrix.version(Row.CHROMIUM_CLIENT, chromium.version().replaceFirst("^(\\d+).*", "$1"));
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void feature(Feature feature) throws Exception {
        Cells.run(Row.CHROMIUM_CLIENT, feature, PEER_BUGS, () -> Scenarios.peerClient(chromium).run(feature));
    }
}
