package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sockwave.cli.it.SockwaveProcess.Served;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The chat's rules on one node (issue #14, item 5), through {@code sockwave serve} over real sockets. */
class ChatIT {
    /**
     * A taken name is refused with 1013 and when it is free if its holder's connection dropped: the holder may be the
     * same client's connection, gone without a word, which the keepalive (30 s by default) ends within twice that.
     */
    @Test
    void aNameIsUniqueInItsRoomAndATakenOneIsRefusedWithWhenItIsFreeIfItsHolderDropped() throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            ChatProbe alice = ChatProbe.connect(server.uri("ws", "/chat?name=alice"));
            alice.next();
            WsProbe second = WsProbe.connect(server.uri("ws", "/chat?name=alice"));
            WsProbe.Close close = second.awaitClose();
            assertEquals(1013, close.code());
            assertEquals("the name alice is taken in this room; if its connection dropped, the name is free within"
                    + " 60 s", close.reason());
            ChatProbe elsewhere = ChatProbe.connect(server.uri("ws", "/chat/kitchen?name=alice"));
            Map<String, Object> welcome = elsewhere.next();
            assertEquals("kitchen", welcome.get("room"));
            assertEquals("alice", welcome.get("you"));
        }
    }

    /** Without keepalive pings nothing bounds how long a dropped holder keeps its name: 1008, do not retry. */
    @Test
    void withoutKeepaliveATakenNameIsRefusedWith1008() throws Exception {
        try (Served server = SockwaveProcess.serve("--keepalive", "0")) {
            ChatProbe alice = ChatProbe.connect(server.uri("ws", "/chat?name=alice"));
            alice.next();
            WsProbe.Close close = WsProbe.connect(server.uri("ws", "/chat?name=alice")).awaitClose();
            assertEquals(1008, close.code());
            assertEquals("the name alice is taken in this room", close.reason());
        }
    }

    /**
     * RFC 6455 §5.5: a close reason is at most 123 bytes. A name of 24 four-byte letters (96 bytes) made the refusal's
     * reason longer, the close threw, and the second client was left open, never joined and never told.
     */
    @Test
    void aTakenNameTooLongToQuoteInACloseReasonIsRefusedWithoutIt() throws Exception {
        String name = "\uD835\uDC9C".repeat(24); // U+1D49C, a letter of four UTF-8 bytes
        String query = "/chat?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        try (Served server = SockwaveProcess.serve()) {
            ChatProbe holder = ChatProbe.connect(server.uri("ws", query));
            assertEquals(name, holder.next().get("you"));
            WsProbe.Close close = WsProbe.connect(server.uri("ws", query)).awaitClose();
            assertEquals(1013, close.code());
            assertEquals("the name you chose is taken in this room; if its connection dropped, the name is free"
                    + " within 60 s", close.reason());
        }
    }

    /**
     * A client gone without a word (no close, no FIN: here a raw connection that answers no ping) holds its name only
     * until the keepalive ends its connection; then the same name joins again.
     */
    @Test
    void aHolderThatAnswersNoPingLetsGoOfItsNameAtTheKeepalive() throws Exception {
        try (Served server = SockwaveProcess.serve("--keepalive", "1s"); RawHttp http = new RawHttp(server.port())) {
            assertEquals(101, http.exchange(RawHttp.rfcUpgrade("/chat?name=gone", server.port())).status());
            CompletableFuture<Void> connectionEnded = drainUntilEnd(http.socket());
            WsProbe.Close close = WsProbe.connect(server.uri("ws", "/chat?name=gone")).awaitClose();
            assertEquals(1013, close.code());
            assertEquals("the name gone is taken in this room; if its connection dropped, the name is free within"
                    + " 2 s", close.reason());
            connectionEnded.get(30, TimeUnit.SECONDS);
            ChatProbe again = ChatProbe.connect(server.uri("ws", "/chat?name=gone"));
            assertEquals("gone", again.next().get("you"));
        }
    }

    /** Every event carries the count as its member sees it: the welcome's snapshot, then each join and leave. */
    @Test
    void theCountFollowsEveryJoinAndLeaveAsEachMemberSeesIt() throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            ChatProbe alice = ChatProbe.connect(server.uri("ws", "/chat?name=alice"));
            assertEvent(alice.next(), "welcome", null, 1);
            assertEvent(alice.next(), "join", "alice", 1);
            ChatProbe bob = ChatProbe.connect(server.uri("ws", "/chat?name=bob"));
            assertEvent(bob.next(), "welcome", null, 2);
            assertEvent(bob.next(), "join", "bob", 2);
            assertEvent(alice.next(), "join", "bob", 2);
            ChatProbe carol = ChatProbe.connect(server.uri("ws", "/chat?name=carol"));
            assertEvent(carol.next(), "welcome", null, 3);
            assertEvent(alice.next(), "join", "carol", 3);
            assertEvent(bob.next(), "join", "carol", 3);
            bob.close();
            assertEvent(alice.next(), "leave", "bob", 2);
            assertEvent(carol.skipTo(e -> "leave".equals(e.get("type"))), "leave", "bob", 2);
            ChatProbe elsewhere = ChatProbe.connect(server.uri("ws", "/chat/kitchen?name=bob"));
            assertEvent(elsewhere.next(), "welcome", null, 1);
            alice.close();
            assertEvent(carol.next(), "leave", "alice", 1);
        }
    }

    private static void assertEvent(Map<String, Object> event, String type, String name, int count) {
        assertEquals(type, event.get("type"), event.toString());
        if (name != null) {
            assertEquals(name, event.get("name"), event.toString());
        }
        assertEquals(count, ((Number) event.get("count")).intValue(), event.toString());
    }

    @Test
    void theGuestsNamesCannotBeClaimed() throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            ChatProbe claimer = ChatProbe.connect(server.uri("ws", "/chat?name=guest-1"));
            assertEquals("guest-1", claimer.next().get("you"), "the claim is ignored: the first guest is guest-1");
            ChatProbe guest = ChatProbe.connect(server.uri("ws", "/chat"));
            assertEquals("guest-2", guest.next().get("you"));
        }
    }

    @Test
    void emptyAndBlankMessagesAreRefusedNotBroadcast() throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            ChatProbe alice = ChatProbe.connect(server.uri("ws", "/chat?name=alice"));
            alice.next();
            alice.next();
            alice.probe().send("");
            alice.say("b-1", " \\t\\n ");
            assertEquals(Map.of("type", "refused", "reason", "an empty message is not sent"), alice.next());
            assertEquals(Map.of("type", "refused", "id", "b-1", "reason", "an empty message is not sent"),
                    alice.next());
            alice.say("b-2", "real");
            Map<String, Object> message = alice.next();
            assertEquals("real", message.get("text"), "nothing was broadcast before it: " + message);
        }
    }

    /** The limit counts characters (code points) as documented, not UTF-16 units: 16,384 emoji pass. */
    @Test
    void theLengthLimitCountsCharacters() throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            ChatProbe alice = ChatProbe.connect(server.uri("ws", "/chat?name=alice"));
            alice.next();
            alice.next();
            String emoji = "\ud83d\ude00";
            alice.probe().send(emoji.repeat(16_384));
            assertEquals(emoji.repeat(16_384), alice.next().get("text"));
            alice.probe().send(emoji.repeat(16_385));
            WsProbe.Close close = alice.probe().awaitClose();
            assertEquals(1009, close.code());
        }
    }

    /**
     * A member the chat drops (1009 here) leaves the room at once: the others see the leave although the dropped
     * client never answers the close, rather than after the close timeout. The close timeout's own event, the
     * server ending the dropped connection, is the bound: the leave must come before it, however slow the machine
     * (a fixed 3 s against serve's 5 s close timeout left 2 s of slack).
     */
    @Test
    void aDroppedMemberLeavesAtOnce() throws Exception {
        try (Served server = SockwaveProcess.serve(); RawHttp http = new RawHttp(server.port())) {
            ChatProbe watcher = ChatProbe.connect(server.uri("ws", "/chat?name=watcher"));
            watcher.next();
            watcher.next();
            assertEquals(101, http.exchange(RawHttp.rfcUpgrade("/chat?name=mute", server.port())).status());
            assertEquals("mute", watcher.next().get("name"));
            CompletableFuture<Void> connectionEnded = drainUntilEnd(http.socket());
            OutputStream out = http.socket().getOutputStream();
            out.write(maskedText("x".repeat(16_385)));
            out.flush();
            Map<String, Object> leave = watcher.next();
            assertEquals("leave", leave.get("type"));
            assertEquals("mute", leave.get("name"));
            assertFalse(connectionEnded.isDone(), "the leave came at once, not once the close timeout had passed");
            connectionEnded.get(30, TimeUnit.SECONDS);
        }
    }

    /** @return completes when the server ends the connection, its bytes (the close frame) read and dropped */
    private static CompletableFuture<Void> drainUntilEnd(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        return CompletableFuture.runAsync(() -> {
            byte[] buffer = new byte[1024];
            try {
                while (in.read(buffer) >= 0) {
                    // the close frame, unanswered
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void aResumeWithSinceDeliversWhatWasMissedAndAnUnknownOffsetAReset() throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            ChatProbe watcher = ChatProbe.connect(server.uri("ws", "/chat?name=watcher"));
            watcher.next();
            watcher.next();
            ChatProbe alice = ChatProbe.connect(server.uri("ws", "/chat?name=alice"));
            alice.next();
            String last = (String) alice.next().get("offset");
            alice.close();
            // the leave is written when the server reads the close; bob must join after it for the order below
            watcher.skipTo(e -> "leave".equals(e.get("type")));
            ChatProbe bob = ChatProbe.connect(server.uri("ws", "/chat?name=bob"));
            bob.next();
            bob.say("m", "while you were away");
            bob.ack();
            ChatProbe back = ChatProbe.connect(server.uri("ws", "/chat?name=alice&since=" + last));
            assertEquals("welcome", back.next().get("type"));
            assertEquals(Map.of("type", "leave", "name", "alice"), withoutOffsetAndCount(back.next()));
            assertEquals(Map.of("type", "join", "name", "bob"), withoutOffsetAndCount(back.next()));
            assertEquals("while you were away", back.next().get("text"));
            assertEquals(Map.of("type", "join", "name", "alice"), withoutOffsetAndCount(back.next()));

            ChatProbe lost = ChatProbe.connect(server.uri("ws", "/chat?name=carol&since=otherepoch-3"));
            assertEquals("welcome", lost.next().get("type"));
            Map<String, Object> reset = lost.next();
            assertEquals("reset", reset.get("type"));
            assertNotEquals(null, reset.get("reason"));
        }
    }

    /**
     * A member that stops reading is closed at the outbound limit (1008) without holding the others back; when it
     * comes back with since, it receives everything it missed, and the sender lost nothing either.
     */
    @Test
    void aClientThatStopsReadingIsClosedAtTheLimitAndResumesWithNothingLost() throws Exception {
        try (Served server = SockwaveProcess.serve("--max-message", "64k");
             RawHttp stalled = new RawHttp(server.port())) {
            ChatProbe sender = ChatProbe.connect(server.uri("ws", "/chat?name=sender"));
            sender.next();
            sender.next();
            assertEquals(101, stalled.exchange(RawHttp.rfcUpgrade("/chat?name=stalled", server.port())).status());
            Map<String, Object> stalledJoin = sender.next();
            String text = "y".repeat(16_000);
            int count = 600;
            long last = 0;
            for (int i = 0; i < count; i++) {
                sender.probe().send(text);
                last = sequence(sender.ack());
                assertEquals(text, sender.next().get("text"));
            }
            server.process().awaitOut("/chat 1008 policy violation");
            ChatProbe back = ChatProbe.connect(server.uri("ws", "/chat?name=stalled-again&since="
                    + stalledJoin.get("offset")));
            assertEquals("welcome", back.next().get("type"));
            long previous = sequence(stalledJoin);
            int messages = 0;
            while (previous < last) {
                Map<String, Object> event = back.next();
                assertEquals(previous + 1, sequence(event), "no gap, no repeat");
                previous = sequence(event);
                messages += "message".equals(event.get("type")) ? 1 : 0;
            }
            assertEquals(count, messages);
        }
    }

    private static long sequence(Map<String, Object> event) {
        String offset = (String) event.get("offset");
        return Long.parseLong(offset.substring(offset.lastIndexOf('-') + 1));
    }

    private static Map<String, Object> withoutOffsetAndCount(Map<String, Object> event) {
        Map<String, Object> copy = new java.util.HashMap<>(event);
        copy.remove("offset");
        copy.remove("count");
        return copy;
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        byte[] frame = new byte[8 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | 126);
        frame[2] = (byte) (payload.length >> 8);
        frame[3] = (byte) payload.length;
        System.arraycopy(mask, 0, frame, 4, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[8 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
