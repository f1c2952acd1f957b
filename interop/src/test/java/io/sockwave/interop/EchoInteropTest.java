package io.sockwave.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.Server;
import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sockwave against independent implementations, in both roles, with and without permessage-deflate: every text
 * and binary message (empty, multi-byte UTF-8, 70 KB, 200 KB) comes back intact, and the close handshake ends
 * with 1000.
 */
class EchoInteropTest {

    enum Implementation {
        PYTHON_WEBSOCKETS {
            @Override
            List<String> client(String url, String mode) {
                return Peer.python("echo_client.py", url, mode);
            }

            @Override
            List<String> server(String mode) {
                return Peer.python("echo_server.py", mode);
            }
        },
        NODE_WS {
            @Override
            List<String> client(String url, String mode) {
                return Peer.node("echo_client.js", url, mode);
            }

            @Override
            List<String> server(String mode) {
                return Peer.node("echo_server.js", mode);
            }
        };

        abstract List<String> client(String url, String mode);

        abstract List<String> server(String mode);
    }

    static Stream<Arguments> peers() {
        return Stream.of(Implementation.values())
                .flatMap(peer -> Stream.of(Arguments.of(peer, false), Arguments.of(peer, true)));
    }

    @ParameterizedTest(name = "{0} deflate={1}")
    @MethodSource("peers")
    void peerClientGetsEveryEchoFromSockwaveServer(Implementation peer, boolean deflate) throws Exception {
        try (Server server = EchoPeers.echoServer(deflate)) {
            Peer.Result result = Peer.run(peer.client("ws://127.0.0.1:" + server.port() + "/echo", mode(deflate)));
            assertEquals(0, result.exitCode(), result.output());
        }
    }

    @ParameterizedTest(name = "{0} deflate={1}")
    @MethodSource("peers")
    void sockwaveClientGetsEveryEchoFromPeerServer(Implementation peer, boolean deflate) throws Exception {
        try (Peer server = Peer.start(peer.server(mode(deflate)))) {
            EchoPeers.exerciseEchoServer(URI.create("ws://127.0.0.1:" + server.port() + "/"), deflate);
        }
    }

    private static String mode(boolean deflate) {
        return deflate ? "deflate" : "none";
    }
}
