package io.sockwave.interop.matrix;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Vert.x 5's WebSocket client against Sockwave's server, and Sockwave's client against Vert.x's HTTP server. */
class VertxMatrixTest {
    /** Shown by {@link VertxDeflateWindowTest} with Vert.x alone, in both roles. */
    static final Outcome NINE_BIT_WINDOW = Outcome.peerBug("Vert.x sends a 70,000-byte message at 9 window bits"
            + " as a payload that inflates to 69,908 bytes (RFC 7692 §7.2.1: the payload is the message compressed);"
            + " it compresses with Netty's permessage-deflate encoder (through jzlib 1.1.3, which Netty needs below 15"
            + " bits); VertxDeflateWindowTest shows it in both roles without Sockwave; not yet reported"
            + " (https://github.com/netty/netty/issues, https://github.com/ymnk/jzlib/issues)",
            "length=69908");
    private static final Map<Feature, Outcome> PEER_BUGS_CLIENT =
            Map.of(Feature.DEFLATE_SMALLEST_WINDOW, NINE_BIT_WINDOW);
    private static final Map<Feature, Outcome> PEER_BUGS_SERVER =
            Map.of(Feature.DEFLATE_SMALLEST_WINDOW, NINE_BIT_WINDOW);

    @BeforeAll
    static void version() {
        Matrix.version(Row.VERTX_CLIENT, VertxClient.version());
        Matrix.version(Row.VERTX_SERVER, VertxClient.version());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void vertxClient(Feature feature) throws Exception {
        Cells.run(Row.VERTX_CLIENT, feature, PEER_BUGS_CLIENT,
                () -> Scenarios.peerClient(new VertxClient()).run(feature));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void vertxServer(Feature feature) throws Exception {
        Cells.run(Row.VERTX_SERVER, feature, PEER_BUGS_SERVER,
                () -> Scenarios.peerServer(VertxServer.factory()).run(feature));
    }
}
