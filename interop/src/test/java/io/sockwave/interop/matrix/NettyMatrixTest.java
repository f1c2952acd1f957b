package io.sockwave.interop.matrix;

import io.netty.util.Version;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Netty 4.2's websocketx client against Sockwave's server, and Sockwave's client against Netty's server. */
class NettyMatrixTest {
    /** Shown by {@link NettyDeflateWindowTest} with Netty's encoder alone. */
    static final Outcome NINE_BIT_WINDOW = Outcome.peerBug("Netty's permessage-deflate encoder at 9 window bits"
            + " (through jzlib 1.1.3, which Netty needs below 15) sends a 70,000-byte message that inflates to 69,908"
            + " bytes; NettyDeflateWindowTest shows it without Sockwave; not yet reported"
            + " (https://github.com/netty/netty/issues, https://github.com/ymnk/jzlib/issues)",
            "length=69908");
    private static final Map<Feature, Outcome> PEER_BUGS_CLIENT =
            Map.of(Feature.DEFLATE_SMALLEST_WINDOW, NINE_BIT_WINDOW);
    private static final Map<Feature, Outcome> PEER_BUGS_SERVER =
            Map.of(Feature.DEFLATE_SMALLEST_WINDOW, NINE_BIT_WINDOW);

    @BeforeAll
    static void version() {
        String version = Version.identify().get("netty-codec-http").artifactVersion();
        Matrix.version(Row.NETTY_CLIENT, version);
        Matrix.version(Row.NETTY_SERVER, version);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void nettyClient(Feature feature) throws Exception {
        Cells.run(Row.NETTY_CLIENT, feature, PEER_BUGS_CLIENT,
                () -> Scenarios.peerClient(new NettyClient()).run(feature));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void nettyServer(Feature feature) throws Exception {
        Cells.run(Row.NETTY_SERVER, feature, PEER_BUGS_SERVER,
                () -> Scenarios.peerServer(NettyServer.factory()).run(feature));
    }
}
