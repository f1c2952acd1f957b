package io.sockwave.interop.matrix;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Java-WebSocket's client against Sockwave's server, and Sockwave's client against Java-WebSocket's server. */
class JavaWebSocketMatrixTest {
    private static final Map<Feature, Outcome> PEER_BUGS_CLIENT = Map.of();
    /** Shown without Sockwave by {@link JavaWebSocketDeflateWindowTest}. */
    private static final Outcome NO_WINDOW_BITS = Outcome.peerBug(
            "Java-WebSocket's server accepts an offer of server_max_window_bits=8 with its one fixed answer"
            + " (permessage-deflate; server_no_context_takeover), leaving the parameter out instead of declining the"
            + " offer (RFC 7692 §7.1.2.1), so Sockwave's client refuses the handshake; PerMessageDeflateExtension"
            + " negotiates no window bits (https://github.com/TooTallNate/Java-WebSocket/blob/master/src/main/java/"
            + "org/java_websocket/extensions/permessage_deflate/PerMessageDeflateExtension.java; no issue filed);"
            + " JavaWebSocketDeflateWindowTest shows it with a bare socket",
            "server did not accept server_max_window_bits=8");
    private static final Map<Feature, Outcome> PEER_BUGS_SERVER =
            Map.of(Feature.DEFLATE_SMALLEST_WINDOW, NO_WINDOW_BITS);

    @BeforeAll
    static void version() {
        Matrix.version(Row.JAVA_WEBSOCKET_CLIENT, JavaWebSocketClient.version());
        Matrix.version(Row.JAVA_WEBSOCKET_SERVER, JavaWebSocketClient.version());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void javaWebSocketClient(Feature feature) throws Exception {
        Cells.run(Row.JAVA_WEBSOCKET_CLIENT, feature, PEER_BUGS_CLIENT,
                () -> Scenarios.peerClient(new JavaWebSocketClient()).run(feature));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void javaWebSocketServer(Feature feature) throws Exception {
        Cells.run(Row.JAVA_WEBSOCKET_SERVER, feature, PEER_BUGS_SERVER,
                () -> Scenarios.peerServer(JavaWebSocketServer.factory()).run(feature));
    }
}
