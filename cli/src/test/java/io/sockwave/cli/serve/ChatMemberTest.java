package io.sockwave.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.cli.json.JsonObject;
import io.sockwave.room.Membership;
import io.sockwave.room.RoomOffset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    /** The welcome written by hand is the JSON a JsonObject of the same members writes, escapes and all. */
    @Test
    void theWelcomeIsTheJsonOfItsMembers() {
        List<String> present = List.of("ann", "b\"o\\b", "<c&d>", "\u00e9\u20ac\ud83d\ude00", "x".repeat(40));
        String expected = new JsonObject().put("type", "welcome").put("room", "r\u2028oom").put("you", "ann")
                .put("offset", "e1-42").put("count", 5).put("present", present).toString();
        assertEquals(expected, ChatMember.welcomeJson("r\u2028oom", joined(present), 5).toString());
        assertEquals("{\"type\":\"welcome\",\"room\":\"lobby\",\"you\":\"ann\",\"offset\":\"e1-42\",\"count\":0,"
                + "\"present\":[]}", ChatMember.welcomeJson("lobby", joined(List.of()), 0).toString());
    }

    /** @return ann's membership at offset e1-42, with the names present given */
    private static Membership joined(List<String> present) {
        return new Membership() {
            @Override
            public String room() {
                return "any";
            }

            @Override
            public String member() {
                return "ann";
            }

            @Override
            public RoomOffset joinedAt() {
                return new RoomOffset("e1", 42);
            }

            @Override
            public List<String> present() {
                return present;
            }

            @Override
            public CompletableFuture<RoomOffset> publish(String messageId, String text) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<Void> leave() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
