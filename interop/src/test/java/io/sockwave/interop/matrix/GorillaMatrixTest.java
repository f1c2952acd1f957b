package io.sockwave.interop.matrix;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Go's gorilla/websocket (Debian's golang-github-gorilla-websocket-dev, built with Debian's golang-go) as client and
 * server against Sockwave, feature by feature. gorilla compresses with no context takeover only and knows no window
 * parameters.
 */
class GorillaMatrixTest {
    private static final Map<Feature, Outcome> PEER_BUGS_CLIENT = Map.of();
    /** gorilla knows no window parameters (https://github.com/gorilla/websocket/issues/661, open since 2020). */
    private static final Map<Feature, Outcome> PEER_BUGS_SERVER = Map.of(Feature.DEFLATE_SMALLEST_WINDOW,
            Outcome.peerBug("gorilla's server accepts an offer of server_max_window_bits=8 without answering it"
                    + " (server.go answers a fixed permessage-deflate; server_no_context_takeover;"
                    + " client_no_context_takeover), where RFC 7692 §7.1.2.1 wants the parameter answered with"
                    + " 8 or less, or the offer declined; it compresses with a 15-bit window, so Sockwave's client"
                    + " fails the handshake; GorillaDeflateWindowTest shows the answer without Sockwave"
                    + " (https://github.com/gorilla/websocket/issues/661)",
                    "server did not accept server_max_window_bits=8"));
    private static final PeerTraits GORILLA = new PeerTraits() {
        @Override
        public String fragmentsNote() {
            return "cut by gorilla every 1,004 bytes (its write buffer), U+1F600's UTF-8 split across frames";
        }
    };

    @BeforeAll
    static void version() {
        String version = GorillaPeer.version();
        if (version != null) {
            Matrix.version(Row.GORILLA_CLIENT, version);
            Matrix.version(Row.GORILLA_SERVER, version);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void gorillaClient(Feature feature) throws Exception {
        ScriptedClient client = new ScriptedClient(args -> GorillaPeer.command("client", args), GORILLA, true);
        Cells.run(Row.GORILLA_CLIENT, feature, PEER_BUGS_CLIENT, () -> Scenarios.peerClient(client).run(feature));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void gorillaServer(Feature feature) throws Exception {
        EchoServer.Factory server = ScriptedServer.factory(args -> GorillaPeer.command("server", args), GORILLA);
        Cells.run(Row.GORILLA_SERVER, feature, PEER_BUGS_SERVER, () -> Scenarios.peerServer(server).run(feature));
    }
}
