package io.sockwave.interop.matrix;

import io.sockwave.interop.Peer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** python-websockets (Debian's python3-websockets) as client and server against Sockwave, feature by feature. */
class PythonWebsocketsMatrixTest {
    private static final Map<Feature, Outcome> PEER_BUGS_CLIENT = Map.of();
    private static final Map<Feature, Outcome> PEER_BUGS_SERVER = Map.of();
    private static final PeerTraits WEBSOCKETS = new PeerTraits() {
        /** zlib refuses a raw deflate window of 8 bits ("Invalid initialization option"), as it has since 1.2.9. */
        @Override
        public int smallestWindowBits() {
            return 9;
        }

        @Override
        public String fragmentsNote() {
            return "cut between code points: each str fragment is encoded on its own";
        }
    };

    @BeforeAll
    static void version() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return;
        }
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import websockets; print(websockets.__version__)")
                .redirectErrorStream(true).start();
        String version = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0) {
            Matrix.version(Row.PYTHON_CLIENT, version);
            Matrix.version(Row.PYTHON_SERVER, version);
        }
    }

    private static List<String> python(String script, List<String> args) {
        return Peer.python(script, args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void websocketsClient(Feature feature) throws Exception {
        ScriptedClient client = new ScriptedClient(args -> python("matrix_client.py", args), WEBSOCKETS, false);
        Cells.run(Row.PYTHON_CLIENT, feature, PEER_BUGS_CLIENT, () -> Scenarios.peerClient(client).run(feature));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void websocketsServer(Feature feature) throws Exception {
        EchoServer.Factory server = ScriptedServer.factory(args -> python("matrix_server.py", args), WEBSOCKETS);
        Cells.run(Row.PYTHON_SERVER, feature, PEER_BUGS_SERVER, () -> Scenarios.peerServer(server).run(feature));
    }
}
