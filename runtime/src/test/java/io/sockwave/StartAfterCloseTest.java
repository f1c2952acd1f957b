package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server.close() is idempotent, and a closed server is over: close() followed by start() used to bind the port and
 * start event loops that no later close() or shutdown() would stop (both found the server closed already and did
 * nothing), so the port stayed taken and the JVM could not exit. start() now refuses a closed server, as it refuses
 * one started before. A close right after start also left the port bound (see the second test).
 */
@Timeout(30)
class StartAfterCloseTest {

    @Test
    void aClosedServerRefusesToStartAndBindsNothing() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Server server = Server.builder().host("127.0.0.1").port(port).route("/", new Listener() { }).build();
        server.close();

        IllegalStateException refused = assertThrows(IllegalStateException.class, server::start);
        assertEquals("the server was closed", refused.getMessage());
        server.close();
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                "nothing listens on the port");
    }

    /**
     * The listening socket is registered with the event loop by a task of the loop's; a close that came first stopped
     * the loop, the task failed on the closed selector, and the socket stayed open and bound for good.
     */
    @Test
    void aServerClosedRightAfterStartReleasesItsPort() throws Exception {
        for (int i = 0; i < 20; i++) {
            Server server = Server.builder().host("127.0.0.1").port(0).route("/", new Listener() { }).build().start();
            int port = server.port();
            assertThrows(IllegalStateException.class, server::start, "a server starts once");
            server.close();

            assertThrows(IllegalStateException.class, server::start);
            assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                    "nothing listens on the port of a closed server");
        }
    }
}
