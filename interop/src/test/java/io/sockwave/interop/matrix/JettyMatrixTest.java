package io.sockwave.interop.matrix;

import java.util.Map;
import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Jetty 12's client against Sockwave's server, and Sockwave's client against Jetty 12's server. */
class JettyMatrixTest {
    private static final Map<Feature, Outcome> PEER_BUGS_CLIENT = Map.of();
    private static final Outcome NO_WINDOW_BITS = Outcome.peerBug(
            "Jetty accepts an offer of server_max_window_bits=8 but leaves the parameter out of its answer instead of"
            + " declining the offer (RFC 7692 §7.1.2.1), so Sockwave's client refuses the handshake; Jetty negotiates"
            + " no window bits (\"Not supported by Jetty\" in PerMessageDeflateExtension, https://github.com/jetty/"
            + "jetty.project/blob/jetty-12.1.x/jetty-core/jetty-websocket/jetty-websocket-core-common/src/main/java/"
            + "org/eclipse/jetty/websocket/core/internal/PerMessageDeflateExtension.java; no issue filed)",
            "server did not accept server_max_window_bits=8");
    private static final Map<Feature, Outcome> PEER_BUGS_SERVER = Map.of(Feature.DEFLATE_SMALLEST_WINDOW, NO_WINDOW_BITS);

    @BeforeAll
    static void version() {
        Matrix.version(Row.JETTY_CLIENT, Jetty.VERSION);
        Matrix.version(Row.JETTY_SERVER, Jetty.VERSION);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void jettyClient(Feature feature) throws Exception {
        Cells.run(Row.JETTY_CLIENT, feature, PEER_BUGS_CLIENT,
                () -> Scenarios.peerClient(new JettyClient()).run(feature));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void jettyServer(Feature feature) throws Exception {
        Cells.run(Row.JETTY_SERVER, feature, PEER_BUGS_SERVER,
                () -> Scenarios.peerServer(JettyServer.factory()).run(feature));
    }
}
