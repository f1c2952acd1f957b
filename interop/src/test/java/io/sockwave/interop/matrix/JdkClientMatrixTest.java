package io.sockwave.interop.matrix;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JDK's java.net.http.WebSocket as a client of Sockwave's server, feature by feature. */
class JdkClientMatrixTest {
    private static final Map<Feature, Outcome> PEER_BUGS = Map.of();

    @BeforeAll
    static void version() {
        Matrix.version(Row.JDK_CLIENT, System.getProperty("java.specification.version"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void feature(Feature feature) throws Exception {
        Cells.run(Row.JDK_CLIENT, feature, PEER_BUGS, () -> Scenarios.peerClient(new JdkClient()).run(feature));
    }
}
