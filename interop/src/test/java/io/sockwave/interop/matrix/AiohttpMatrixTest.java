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

/** aiohttp (Debian's python3-aiohttp) as client and server against Sockwave, feature by feature. */
class AiohttpMatrixTest {
    /** Shown without Sockwave by {@link AiohttpCloseEchoTest}. */
    private static final Outcome CLOSE_NOT_ECHOED = Outcome.peerBug("aiohttp's client answers the server's Close"
            + " 4001 with Close 1000 instead of echoing the code (RFC 6455 §5.5.1: an endpoint typically echoes it;"
            + " its automatic close calls close() with the default code, ClientWebSocketResponse.receive in"
            + " aiohttp/client_ws.py); it reports 4001 and the reason to its application; AiohttpCloseEchoTest shows"
            + " it with a bare socket; no issue filed",
            "the client echoes the code ==> expected: <4001> but was: <1000>");
    private static final Map<Feature, Outcome> PEER_BUGS_CLIENT = Map.of(Feature.CLOSE_BY_SOCKWAVE, CLOSE_NOT_ECHOED);
    private static final Map<Feature, Outcome> PEER_BUGS_SERVER = Map.of();
    private static final PeerTraits AIOHTTP = new PeerTraits() {
        /** aiohttp refuses 8 ("zlib does not support wbits=8"), as zlib has since 1.2.9. */
        @Override
        public int smallestWindowBits() {
            return 9;
        }

        @Override
        public String sendsNoFragments() {
            return "aiohttp's API sends whole messages only (send_str, send_bytes: every frame has FIN set)";
        }
    };

    @BeforeAll
    static void version() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return;
        }
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import aiohttp; print(aiohttp.__version__)")
                .redirectErrorStream(true).start();
        String version = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0) {
            Matrix.version(Row.AIOHTTP_CLIENT, version);
            Matrix.version(Row.AIOHTTP_SERVER, version);
        }
    }

    private static List<String> aiohttp(String script, List<String> args) {
        return Peer.aiohttp(script, args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void aiohttpClient(Feature feature) throws Exception {
        ScriptedClient client = new ScriptedClient(args -> aiohttp("matrix_aiohttp_client.py", args), AIOHTTP, false);
        Cells.run(Row.AIOHTTP_CLIENT, feature, PEER_BUGS_CLIENT, () -> Scenarios.peerClient(client).run(feature));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void aiohttpServer(Feature feature) throws Exception {
        EchoServer.Factory server = ScriptedServer.factory(args -> aiohttp("matrix_aiohttp_server.py", args), AIOHTTP);
        Cells.run(Row.AIOHTTP_SERVER, feature, PEER_BUGS_SERVER, () -> Scenarios.peerServer(server).run(feature));
    }
}
