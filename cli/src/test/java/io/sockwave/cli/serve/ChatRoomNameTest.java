package io.sockwave.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ChatRoomNameTest {
    @Test
    void aValidNameIsTaken() {
        assertEquals("alice", ChatRoom.validName("alice"));
        assertEquals("j\u00fcrgen", ChatRoom.validName("j\u00fcrgen"));
        assertEquals("a.b-c_d", ChatRoom.validName("a.b-c_d"));
        assertEquals("guest", ChatRoom.validName("guest"));
        assertEquals("guest-x", ChatRoom.validName("guest-x"));
    }

    @Test
    void unsafeOrMissingNamesAreNotTaken() {
        assertNull(ChatRoom.validName(null));
        assertNull(ChatRoom.validName(""));
        assertNull(ChatRoom.validName("<b>"));
        assertNull(ChatRoom.validName("a b"));
    }

    /** Its length is the node's to bound ({@code --max-name-length}): a longer name is closed, not made a guest. */
    @Test
    void aLongNameIsLeftToTheLengthBound() {
        assertEquals("x".repeat(25), ChatRoom.validName("x".repeat(25)));
    }

    /** Issue #14: "guest-99" could be claimed ahead of the real guest 99. */
    @Test
    void theGuestsFormIsTheServersToGiveOut() {
        assertNull(ChatRoom.validName("guest-99"));
        assertNull(ChatRoom.validName("guest-1"));
    }

    @Test
    void logAddressesBracketIpv6() {
        assertEquals("127.0.0.1:80", ConnectionLog.address(new InetSocketAddress("127.0.0.1", 80)));
        assertEquals("[0:0:0:0:0:0:0:1]:8000", ConnectionLog.address(new InetSocketAddress("::1", 8000)));
    }
}
