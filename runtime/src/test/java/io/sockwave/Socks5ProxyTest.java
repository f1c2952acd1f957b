package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.ExternalProgram;
import io.sockwave.testsupport.LoopbackPorts;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ws:// and wss:// through Debian's microsocks, a real SOCKS5 server started on a free loopback port: no
 * authentication and RFC 1929 username/password, TLS inside the tunnel verified against the server's host, and the
 * proxy's refusals (RFC 1928 §6 reply codes, refused credentials) reported as {@link ProxyException}s.
 */
class Socks5ProxyTest extends ProxiedEchoServers {
    /** Starts microsocks, with these extra arguments; returns its port. */
    private int microsocks(String... arguments) throws IOException, InterruptedException {
        int port = LoopbackPorts.free();
        List<String> command = new ArrayList<>(List.of("microsocks", "-i", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(arguments));
        proxies.add(ExternalProgram.startListening("microsocks", port, Duration.ofSeconds(10), command));
        return port;
    }

    @Test
    void wsThroughSocks5WithoutAuthentication() throws Exception {
        int proxy = microsocks();
        Recorder recorder = new Recorder();
        Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                ClientOptions.builder().proxy(Proxy.socks5("127.0.0.1", proxy)).build(), recorder)
                .get(10, TimeUnit.SECONDS);
        recorder.expectEchoAndClose(session);
    }

    @Test
    void wssThroughSocks5WithUsernamePasswordVerifiesTheServersHostNotTheProxys() throws Exception {
        int proxy = microsocks("-u", "alice", "-P", "s3cret");
        echoesOverTlsThrough(Proxy.parse("socks5://alice:s3cret@localhost:" + proxy));
    }

    @Test
    void wssThroughSocks5RefusesACertificateForAnotherHost() throws Exception {
        refusesACertificateForAnotherHostThrough(Proxy.socks5("127.0.0.1", microsocks()));
    }

    @Test
    void wrongPasswordIsReportedAsRefusedCredentials() throws Exception {
        int proxy = microsocks("-u", "alice", "-P", "s3cret");
        ProxyException e = refusal(Proxy.socks5("127.0.0.1", proxy).withCredentials("alice", "wrong"),
                server.port());
        assertTrue(e.getMessage().contains("refused the username/password of user alice (RFC 1929 status"),
                e.getMessage());
    }

    @Test
    void missingCredentialsAreReportedAsNoAcceptableMethod() throws Exception {
        int proxy = microsocks("-u", "alice", "-P", "s3cret");
        ProxyException e = refusal(Proxy.socks5("127.0.0.1", proxy), server.port());
        assertTrue(e.getMessage().contains("accepts none of the authentication methods offered"), e.getMessage());
    }

    @Test
    void destinationRefusingTheConnectionIsReportedWithReplyCode5() throws Exception {
        int proxy = microsocks();
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ProxyException e = refusal(Proxy.socks5("127.0.0.1", proxy), closed);
        assertEquals(5, e.code());
        assertTrue(e.getMessage().contains("could not connect to 127.0.0.1:" + closed
                + ": reply 5 (connection refused)"), e.getMessage());
    }

    private ProxyException refusal(Proxy proxy, int port) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                URI.create("ws://127.0.0.1:" + port + "/echo"),
                ClientOptions.builder().proxy(proxy).build(), new Recorder()).get(10, TimeUnit.SECONDS));
        return assertInstanceOf(ProxyException.class, e.getCause());
    }
}
