package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Client#connect} and {@link Client#connectReconnecting} refuse a URI or options that can make no valid
 * opening handshake request (RFC 6455 §3, §4.1) with {@link IllegalArgumentException} at the call, as their Javadoc
 * says: nothing reaches the network, no status is reported, and the client is left as it was. Options that can make
 * no valid request are refused before that, by {@link ClientOptions.Builder#build()}.
 */
class ClientRequestArgumentsTest {
    private static final ReconnectPolicy POLICY = ReconnectPolicy.builder().maxTries(1).build();

    /** Each case: the URI's path and query, then the options, as "URI|kind:value". */
    @ParameterizedTest
    @ValueSource(strings = {"http://HOST/|", "ws:///echo|", "ws://HOST/#frag|", "ws://a%0Ab:pw@HOST/|"})
    void anInvalidRequestIsRefusedAtTheCallAndNothingIsSentOrTracked(String example) throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            listening.setSoTimeout(300);
            String[] parts = example.split("\\|", -1);
            URI uri = URI.create(parts[0].replace("HOST", "127.0.0.1:" + listening.getLocalPort()));
            ClientOptions options = options(parts[1]);
            List<ReconnectingSession.Status> statuses = new CopyOnWriteArrayList<>();

            Client client = Client.create();
            assertThrows(IllegalArgumentException.class, () -> client.connect(uri, options, new Recorder()));
            assertThrows(IllegalArgumentException.class,
                    () -> client.connectReconnecting(uri, options, POLICY, new Recorder(), statuses::add));

            // It used to track a reconnecting session that never connected, on which close() threw.
            client.close();
            assertThrows(SocketTimeoutException.class, listening::accept, "no connection was made");
            assertEquals(List.of(), statuses, "no try was reported");
        }
    }

    /**
     * RFC 1928 §5: a SOCKS5 CONNECT gives the host name one length byte. A longer name used to be refused only once
     * the proxy had been reached and had chosen a method, as a {@link ProxyException}.
     */
    @Test
    void aHostNameTooLongForTheSocks5ProxyIsRefusedAtTheCall() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            listening.setSoTimeout(300);
            String label = "a".repeat(63) + ".";
            URI uri = URI.create("ws://" + label.repeat(4) + "example/");
            ClientOptions options = ClientOptions.builder()
                    .proxy(Proxy.socks5("127.0.0.1", listening.getLocalPort())).build();
            List<ReconnectingSession.Status> statuses = new CopyOnWriteArrayList<>();

            Client client = Client.create();
            String refused = assertThrows(IllegalArgumentException.class,
                    () -> client.connect(uri, options, new Recorder())).getMessage();
            assertEquals("the host name is 263 bytes: a SOCKS5 proxy can be asked for at most 255 (RFC 1928 §5), so"
                    + " socks5://127.0.0.1:" + listening.getLocalPort() + " cannot reach it", refused);
            assertThrows(IllegalArgumentException.class,
                    () -> client.connectReconnecting(uri, options, POLICY, new Recorder(), statuses::add));

            client.close();
            assertThrows(SocketTimeoutException.class, listening::accept, "no connection was made");
            assertEquals(List.of(), statuses, "no try was reported");
        }
    }

    /**
     * Options that no request can carry throw where they are built, as Server.Builder's do: they used to be taken,
     * and to throw at each connect.
     */
    @ParameterizedTest
    @ValueSource(strings = {"subprotocol:bad proto", "subprotocol:chat,chat", "header:Sec-WebSocket-Key",
        "header:Host", "header:content-length"})
    void optionsThatCanMakeNoValidRequestAreRefusedWhenBuilt(String option) {
        String refused = assertThrows(IllegalArgumentException.class, () -> options(option)).getMessage();
        String value = option.substring(option.indexOf(':') + 1);
        assertTrue(refused.contains(value.split(",")[0]), refused + " names " + value);
    }

    private static ClientOptions options(String option) {
        ClientOptions.Builder builder = ClientOptions.builder();
        if (option.startsWith("subprotocol:")) {
            builder.subprotocols(option.substring("subprotocol:".length()).split(","));
        } else if (option.startsWith("header:")) {
            builder.header(option.substring("header:".length()), "dGhlIHNhbXBsZSBub25jZQ==");
        }
        return builder.build();
    }
}
