package io.sockwave.interop.matrix;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tomcat's Jakarta WebSocket client against Sockwave's server, and Sockwave's client against an embedded Tomcat. */
class TomcatMatrixTest {
    private static final Map<Feature, Outcome> PEER_BUGS_CLIENT = Map.of();
    private static final Map<Feature, Outcome> PEER_BUGS_SERVER = Map.of();

    @BeforeAll
    static void version() {
        Matrix.version(Row.TOMCAT_CLIENT, TomcatClient.version());
        Matrix.version(Row.TOMCAT_SERVER, TomcatClient.version());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void tomcatClient(Feature feature) throws Exception {
        Cells.run(Row.TOMCAT_CLIENT, feature, PEER_BUGS_CLIENT,
                () -> Scenarios.peerClient(new TomcatClient()).run(feature));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void tomcatServer(Feature feature) throws Exception {
        Cells.run(Row.TOMCAT_SERVER, feature, PEER_BUGS_SERVER,
                () -> Scenarios.peerServer(TomcatServer.factory()).run(feature));
    }
}
