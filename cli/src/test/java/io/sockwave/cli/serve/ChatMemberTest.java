package io.sockwave.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatMemberTest {
    /** RFC 6455 §5.5: a close reason fits in 123 bytes of UTF-8; a longer one is cut between characters. */
    @Test
    void aCloseReasonIsCutToWholeCharactersWithin123Bytes() {
        assertEquals("short", ChatMember.closeReason("short"));
        assertEquals("x".repeat(123), ChatMember.closeReason("x".repeat(200)));
        String cut = ChatMember.closeReason("\u00e9".repeat(100));
        assertEquals(122, cut.getBytes(StandardCharsets.UTF_8).length);
        String emoji = ChatMember.closeReason("\ud83d\ude00".repeat(40));
        assertEquals(120, emoji.getBytes(StandardCharsets.UTF_8).length);
    }
}
