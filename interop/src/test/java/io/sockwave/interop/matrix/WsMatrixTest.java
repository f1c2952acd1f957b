package io.sockwave.interop.matrix;

import io.sockwave.interop.Peer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Node's ws (installed by npm ci into src/test/node) as client and server against Sockwave, feature by feature. */
class WsMatrixTest {
    private static final Map<Feature, Outcome> PEER_BUGS_CLIENT = Map.of();
    private static final Map<Feature, Outcome> PEER_BUGS_SERVER = Map.of();
    private static final PeerTraits WS = new PeerTraits() {
        @Override
        public String fragmentsNote() {
            return "U+1F600's UTF-8 split across frames";
        }
    };

    @BeforeAll
    static void version() throws IOException {
        Path packageJson = Path.of("src/test/node/node_modules/ws/package.json");
        if (Files.exists(packageJson)) {
            String json = Files.readString(packageJson);
            Matrix.version(Row.WS_CLIENT, json.replaceFirst("(?s).*\"version\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
            Matrix.version(Row.WS_SERVER, json.replaceFirst("(?s).*\"version\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
        }
    }

    private static List<String> node(String script, List<String> args) {
        return Peer.node(script, args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void wsClient(Feature feature) throws Exception {
        ScriptedClient client = new ScriptedClient(args -> node("matrix_client.js", args), WS, true);
        Cells.run(Row.WS_CLIENT, feature, PEER_BUGS_CLIENT, () -> Scenarios.peerClient(client).run(feature));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void wsServer(Feature feature) throws Exception {
        EchoServer.Factory server = ScriptedServer.factory(args -> node("matrix_server.js", args), WS);
        Cells.run(Row.WS_SERVER, feature, PEER_BUGS_SERVER, () -> Scenarios.peerServer(server).run(feature));
    }
}
