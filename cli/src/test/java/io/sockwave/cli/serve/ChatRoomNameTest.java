package io.sockwave.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ChatRoomNameTest {
    @Test
    void nameComesFromTheQuery() {
        assertEquals("alice", ChatRoom.requestedName("name=alice"));
        assertEquals("bob", ChatRoom.requestedName("room=1&name=bob"));
        assertEquals("j\u00fcrgen", ChatRoom.requestedName("name=j%C3%BCrgen"));
        assertEquals("a.b-c_d", ChatRoom.requestedName("name=a.b-c_d"));
    }

    @Test
    void unsafeOrMissingNamesAreNotTaken() {
        assertNull(ChatRoom.requestedName(null));
        assertNull(ChatRoom.requestedName(""));
        assertNull(ChatRoom.requestedName("nick=alice"));
        assertNull(ChatRoom.requestedName("name="));
        assertNull(ChatRoom.requestedName("name=%3Cb%3E"));
        assertNull(ChatRoom.requestedName("name=a%20b"));
        assertNull(ChatRoom.requestedName("name=%zz"));
        assertNull(ChatRoom.requestedName("name=" + "x".repeat(25)));
    }

    @Test
    void logAddressesBracketIpv6() {
        assertEquals("127.0.0.1:80", ConnectionLog.address(new InetSocketAddress("127.0.0.1", 80)));
        assertEquals("[0:0:0:0:0:0:0:1]:8000", ConnectionLog.address(new InetSocketAddress("::1", 8000)));
    }
}
