package io.sockwave.interop.matrix;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** OkHttp 5's WebSocket client against Sockwave's server, feature by feature. */
class OkHttpClientMatrixTest {
    private static final Map<Feature, Outcome> PEER_BUGS = Map.of();

    @BeforeAll
    static void version() {
        Matrix.version(Row.OKHTTP_CLIENT, okhttp3.OkHttp.VERSION);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void feature(Feature feature) throws Exception {
        Cells.run(Row.OKHTTP_CLIENT, feature, PEER_BUGS, () -> Scenarios.peerClient(new OkHttpPeer()).run(feature));
    }
}
