package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sockwave.testsupport.LoopbackPorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --host} as its help has it: an IPv4 address listens on IPv4 only, and the start-up line shows the
 * address as given. Only loopback addresses are bound in tests (the wildcards' sockets are checked in the runtime's
 * {@code ListenAddressFamilyTest}); without {@code ::1} on the machine only the IPv4 side is checked.
 */
class ServeListenAddressIT {
    @Test
    void anIpv4AddressListensOnIpv4OnlyAndIsShownAsGiven() throws Exception {
        try (SockwaveProcess serve = SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port", "0",
                "--echo-only")) {
            int port = Integer.parseInt(serve.awaitOut("listening on 127\\.0\\.0\\.1:(\\d+); echo at ws://")
                    .group(1));
            assertEquals(101, upgrade("127.0.0.1", port));
            if (LoopbackPorts.hasIpv6Loopback()) {
                assertThrows(ConnectException.class, () -> upgrade("::1", port), "a connection to ::1");
            }
        }
    }

    /** @return the status of an upgrade to {@code /echo}: the serve process answered, not another program */
    private static int upgrade(String address, int port) throws IOException {
        try (RawHttp http = new RawHttp(InetAddress.getByName(address), port)) {
            return http.exchange(RawHttp.rfcUpgrade("/echo", port)).status();
        }
    }
}
