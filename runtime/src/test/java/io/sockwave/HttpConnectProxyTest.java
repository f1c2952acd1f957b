package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.ExternalProgram;
import io.sockwave.testsupport.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ws:// and wss:// through Debian's tinyproxy, a real HTTP proxy started on a free loopback port: CONNECT with and
 * without Basic credentials, TLS inside the tunnel verified against the server's host, and the proxy's refusals
 * (407, 403) reported as {@link ProxyException}s.
 */
class HttpConnectProxyTest extends ProxiedEchoServers {
    /** Starts tinyproxy with these extra configuration lines; returns its port. */
    private int tinyproxy(String... lines) throws IOException, InterruptedException {
        int port = LoopbackPorts.free();
        Path config = Files.createTempFile("sockwave-tinyproxy-", ".conf");
        config.toFile().deleteOnExit();
        Files.writeString(config, String.join("\n",
                "Port " + port, "Listen 127.0.0.1", "Timeout 30", "MaxClients 20", "Allow 127.0.0.1",
                "LogLevel Info", "DisableViaHeader Yes", String.join("\n", lines)) + "\n");
        proxies.add(ExternalProgram.startListening("tinyproxy", port, Duration.ofSeconds(10),
                List.of("tinyproxy", "-d", "-c", config.toString())));
        return port;
    }

    @Test
    void wsThroughConnectWithoutCredentials() throws Exception {
        int proxy = tinyproxy();
        Recorder recorder = new Recorder();
        Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                ClientOptions.builder().proxy(Proxy.http("127.0.0.1", proxy)).build(), recorder)
                .get(10, TimeUnit.SECONDS);
        recorder.expectEchoAndClose(session);
    }

    @Test
    void wssThroughConnectWithBasicCredentialsVerifiesTheServersHostNotTheProxys() throws Exception {
        int proxy = tinyproxy("BasicAuth alice s3cret");
        echoesOverTlsThrough(Proxy.parse("http://alice:s3cret@localhost:" + proxy));
    }

    @Test
    void wssThroughConnectRefusesACertificateForAnotherHost() throws Exception {
        refusesACertificateForAnotherHostThrough(Proxy.http("127.0.0.1", tinyproxy()));
    }

    @Test
    void proxyWantingCredentialsFailsTheConnectWith407() throws Exception {
        int proxy = tinyproxy("BasicAuth alice s3cret");
        ProxyException none = refusal(Proxy.http("127.0.0.1", proxy));
        assertEquals(407, none.code());
        assertTrue(none.getMessage().contains("refused CONNECT 127.0.0.1:" + server.port() + ": 407"),
                none.getMessage());
        assertTrue(none.getMessage().contains("it wants credentials: Basic realm="), none.getMessage());

        ProxyException wrong = refusal(Proxy.http("127.0.0.1", proxy).withCredentials("alice", "wrong"));
        // tinyproxy answers wrong credentials with 401 rather than 407; either is reported the same way.
        assertEquals(401, wrong.code());
        assertTrue(wrong.getMessage().contains("credentials of user alice were not accepted"), wrong.getMessage());
    }

    @Test
    void proxyForbiddingTheDestinationFailsTheConnectWith403() throws Exception {
        // tinyproxy allows CONNECT only to the ports listed, and answers 403 for any other.
        int proxy = tinyproxy("ConnectPort 1");
        ProxyException e = refusal(Proxy.http("127.0.0.1", proxy));
        assertEquals(403, e.code());
        assertTrue(e.getMessage().contains("403"), e.getMessage());
    }

    private ProxyException refusal(Proxy proxy) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                ClientOptions.builder().proxy(proxy).build(), new Recorder()).get(10, TimeUnit.SECONDS));
        return assertInstanceOf(ProxyException.class, e.getCause());
    }
}
