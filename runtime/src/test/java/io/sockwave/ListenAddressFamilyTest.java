package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sockwave.testsupport.LoopbackPorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link Server.Builder#host} listens on: an IPv4 address, the wildcard {@code 0.0.0.0} included, means IPv4
 * only; {@code ::} and the default mean IPv4 and IPv6. The case that needs IPv6 is skipped on a machine without
 * {@code ::1}.
 */
class ListenAddressFamilyTest {
    private static final Listener NOTHING = new Listener() { };

    @Test
    void anIpv4AddressRefusesIpv6OnTheSamePort() throws Exception {
        assumeTrue(LoopbackPorts.hasIpv6Loopback(), "no ::1 here");
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", NOTHING).build().start()) {
            opens("127.0.0.1", server.port());
            refuses("::1", server.port());
        }
    }

    /**
     * Java binds 0.0.0.0 on an IPv6 socket as ::, which accepted IPv6 too; the documented meaning is IPv4 only. Only
     * loopback addresses are bound in tests, so the wildcards are checked by the socket family they get: IPv4 for an
     * IPv4 address, the JVM's default (IPv6, which takes both) for an IPv6 one.
     */
    @ParameterizedTest
    @CsvSource({"0.0.0.0, true", "127.0.0.1, true", "::, false", "::1, false"})
    void anIpv4AddressGetsAnIpv4SocketAndAnIpv6OneTheDefault(String host, boolean ipv4) {
        ProtocolFamily family = Server.Builder.familyOf(new InetSocketAddress(host, 0));
        assertEquals(ipv4 ? StandardProtocolFamily.INET : null, family, host);
    }

    /** Opens a session on {@code /}: this server answered, not some other program on the same port number. */
    private static void opens(String address, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), 10_000);
        try (RawSocket raw = new RawSocket(socket)) {
            raw.open("/");
        }
    }

    private static void refuses(String address, int port) {
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), 10_000);
            }
        }, "a connection to " + address);
    }
}
