package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which hosts the client connects to without a lookup, and that nothing shaped like a literal reaches DNS. */
class IpLiteralTest {
    @Test
    void ipv4LiteralBecomesItsAddress() throws Exception {
        InetAddress address = IpLiteral.parse("127.0.0.1");
        assertArrayEquals(new byte[] {127, 0, 0, 1}, address.getAddress());
        assertEquals("127.0.0.1", address.getHostName(), "the literal is its own name: no reverse lookup");
    }

    @Test
    void ipv6LiteralBecomesItsAddress() throws Exception {
        InetAddress address = IpLiteral.parse("::1");
        assertEquals(Inet6Address.class, address.getClass());
        assertArrayEquals(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
                .getAddress(), address.getAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.test", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4.",
            "1234.1.1.1", "1.2.3.4a"})
    void anythingElseIsANameToLookUp(String host) throws Exception {
        assertNull(IpLiteral.parse(host));
    }

    @Test
    void colonThatIsNoIpv6LiteralFailsWithoutALookup() {
        assertThrows(UnknownHostException.class, () -> IpLiteral.parse("1:2:3:4:5:6:7:8:9"));
    }
}
