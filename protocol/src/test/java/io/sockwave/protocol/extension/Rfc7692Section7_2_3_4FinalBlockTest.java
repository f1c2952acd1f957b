package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.sockwave.protocol.CloseCode;
import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.FrameEncoder;
import io.sockwave.protocol.Opcode;
import io.sockwave.protocol.Role;
import io.sockwave.testsupport.FinalBlockDeflater;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RFC 7692 §7.2.3.4: a DEFLATE block with BFINAL set ends zlib's stream, not the message nor the context. Whatever
 * follows it in the message is data (§7.2.3.4's own example goes on with the {@code 00} that starts an empty stored
 * block, §7.2.3.5 has two blocks in one message), and with context takeover the next stream may refer back across
 * the end (§7.2.2). Built from the RFC's example octets: "Hello" as a block with BFINAL set
 * ({@code f3 48 cd c9 c9 07 00}, §7.2.3.4), as a stored block ({@code 00 05 00 fa ff 48 65 6c 6c 6f}, §7.2.3.3) and
 * as a back-reference to the "Hello" before it ({@code f2 00 11 00}, §7.2.3.2).
 */
class Rfc7692Section7_2_3_4FinalBlockTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final String FINAL_HELLO = "f3 48 cd c9 c9 07 00";
    private static final String STORED_HELLO = "00 05 00 fa ff 48 65 6c 6c 6f";
    private static final String HELLO_AGAIN = "f2 00 11 00";
    private static final String HISTORY_NOT_KEPT = "compressed data refers back further than the history kept";

    /** A client that accepted the given response; it reads unmasked server frames. */
    private static Connection client(String response) {
        Extension extension = PerMessageDeflate.defaults().accepted(DeflatePeers.offer(response));
        return new Connection(ConnectionConfig.of(Role.CLIENT).withExtensions(List.of(extension)));
    }

    private static Connection client() {
        return client("permessage-deflate");
    }

    /** @return a final, unmasked text frame with RSV1, as a server sends a compressed message */
    private static ByteBuffer compressed(String... payloadHex) {
        return frame(true, Extension.RSV1, Opcode.TEXT, payloadHex);
    }

    private static ByteBuffer frame(boolean fin, int rsv, Opcode opcode, String... payloadHex) {
        return FrameEncoder.encode(fin, rsv, opcode, ByteBuffer.wrap(HEX.parseHex(String.join(" ", payloadHex))),
                false, 0);
    }

    private static List<Event> receive(Connection connection, ByteBuffer... frames) {
        EventQueue events = new EventQueue();
        for (ByteBuffer frame : frames) {
            connection.receive(frame, events);
        }
        return events.drain();
    }

    private static void assertFailure(Event event, String reason) {
        Event.Failure failure = assertInstanceOf(Event.Failure.class, event, "the connection fails");
        assertEquals(CloseCode.INVALID_PAYLOAD_DATA, failure.closeCode());
        assertEquals(reason, failure.reason());
    }

    @Test
    void section7_2_3_4_blocksAfterTheFinalBlockAreDecodedNotDropped() {
        assertEquals(List.of(new Event.Text("HelloHello")),
                receive(client(), compressed(FINAL_HELLO, STORED_HELLO, "00")));
    }

    @Test
    void section7_2_2_aStreamAfterTheFinalBlockMayReferBackAcrossIt() {
        assertEquals(List.of(new Event.Text("HelloHello")),
                receive(client(), compressed(FINAL_HELLO, HELLO_AGAIN, "00")));
    }

    @Test
    void section7_2_2_theNextMessageMayReferBackAcrossTheFinalBlock() {
        assertEquals(List.of(new Event.Text("Hello"), new Event.Text("Hello")),
                receive(client(), compressed(FINAL_HELLO, "00"), compressed(HELLO_AGAIN, "00")));
    }

    /**
     * A sender that ends the message with the BFINAL block alone, without §7.2.3.4's {@code 00}: the
     * {@code 00 00 ff ff} of §7.2.2 appended to nothing would start a stored block it does not complete, and that
     * half block would take the next message's first bytes for its length.
     */
    @Test
    void section7_2_2_aFinalBlockEndingTheMessageLeavesNoHalfBlockForTheNext() {
        assertEquals(List.of(new Event.Text("Hello"), new Event.Text("Hello"), new Event.Text("Hello")),
                receive(client(), compressed(FINAL_HELLO), compressed(HELLO_AGAIN, "00"),
                        compressed(STORED_HELLO, "00")));
    }

    /**
     * A compressed message with an empty payload is no valid DEFLATE data (§7.2.3.6's empty message is {@code 00});
     * taken as empty, it must not leave the appended tail half parsed, or the stored block that starts the next
     * message would be read as lengths and its bytes delivered as data.
     */
    @Test
    void section7_2_2_anEmptyPayloadLeavesNoHalfBlockForTheNextMessage() {
        assertEquals(List.of(new Event.Text(""), new Event.Text("Hello")),
                receive(client(), compressed(), compressed("00 00 00 ff ff", STORED_HELLO, "00")));
    }

    /**
     * The tail can be what completes a block with BFINAL set: {@code 03} is the start of an empty fixed block with
     * BFINAL, whose end-of-block code the tail's first byte completes. The rest of the tail is no data of the peer's
     * and must not start a block in the next stream.
     */
    @Test
    void section7_2_2_whatIsLeftOfTheTailAfterTheFinalBlockItCompletedIsNotKept() {
        assertEquals(List.of(new Event.Text("Hello"), new Event.Text("Hello")),
                receive(client(), compressed("f2 48 cd c9 c9 07 00 00 00 ff ff 03"),
                        compressed("00 00 00 ff ff", STORED_HELLO, "00")));
    }

    @Test
    void section7_2_3_4_aMessageCutAnywhereAroundTheFinalBlockIsDecoded() {
        byte[] wire = concat(frame(false, Extension.RSV1, Opcode.TEXT, "f3 48 cd c9"),
                frame(false, 0, Opcode.CONTINUATION, "c9 07 00 f2"),
                frame(false, 0, Opcode.CONTINUATION),
                frame(true, 0, Opcode.CONTINUATION, "00 11 00 00"));
        Connection client = client();
        EventQueue events = new EventQueue();
        for (byte b : wire) {
            client.receive(ByteBuffer.wrap(new byte[] {b}), events);
        }
        assertEquals(List.of(new Event.Text("HelloHello")), events.drain());
    }

    @Test
    void section7_2_3_4_aServerDecodesWhatFollowsAClientsFinalBlock() {
        Extension extension = PerMessageDeflate.defaults().accept(List.of(DeflatePeers.offer("permessage-deflate")));
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER).withExtensions(List.of(extension)));
        ByteBuffer masked = FrameEncoder.encode(true, Extension.RSV1, Opcode.TEXT,
                ByteBuffer.wrap(HEX.parseHex(FINAL_HELLO + " " + HELLO_AGAIN + " 00")), true, 0x37FA213D);
        assertEquals(List.of(new Event.Text("HelloHello")), receive(server, masked));
    }

    /** §7.1.1.1: without context takeover, a reference back into the previous message is invalid data. */
    @Test
    void section7_1_1_1_withoutContextTakeoverTheNextMessageCannotReferBack() {
        Connection client = client("permessage-deflate; server_no_context_takeover");
        List<Event> events = receive(client, compressed(FINAL_HELLO, HELLO_AGAIN, "00"),
                compressed(HELLO_AGAIN, "00"));
        assertEquals(new Event.Text("HelloHello"), events.get(0), "within a message the window is kept");
        assertFailure(events.get(1), HISTORY_NOT_KEPT);
    }

    /**
     * The one case Sockwave does not decode: at the first BFINAL block of a connection, only the output of the
     * message so far is kept, so a stream referring back into an earlier message fails with 1007, not wrong data.
     */
    @Test
    void section7_2_2_atTheFirstFinalBlockAReferenceIntoAnEarlierMessageFailsWith1007() {
        List<Event> events = receive(client(), compressed("f2 48 cd c9 c9 07 00"),
                compressed("03 00", HELLO_AGAIN, "00"));
        assertEquals(new Event.Text("Hello"), events.get(0));
        assertFailure(events.get(1), HISTORY_NOT_KEPT);
    }

    /**
     * RFC 7692 §8 (resources): whatever its size, an end costs a copy of up to a window of history into zlib, and an
     * empty final block ({@code 03 00}) is two bytes. So each message's ends may copy one window more, then only as
     * much as their compressed bytes pay for at zlib's largest ratio. A stream that refers back 30,000 bytes is
     * decoded after one end, even in the message after 200 ends in a row, and fails with 1007 after 200 in a row;
     * those cost a few KiB of copying each instead of a window each.
     */
    @Test
    void section8_endsInARowCopyNoMoreHistoryThanTheirBytesPayFor() {
        byte[] text = new byte[30_000];
        Random random = new Random(8);
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + random.nextInt(26));
        }
        byte[] hello = HEX.parseHex("48 65 6c 6c 6f");
        // Digits: nothing in the history to refer back to.
        byte[] digits = "0123456789".getBytes(StandardCharsets.US_ASCII);
        Connection client = client();
        try (FinalBlockDeflater sender = new FinalBlockDeflater(15, true)) {
            FinalBlockDeflater.Ending last = FinalBlockDeflater.Ending.FINAL_BLOCK;
            FinalBlockDeflater.Ending flush = FinalBlockDeflater.Ending.SYNC_FLUSH;
            List<Event> events = receive(client,
                    // A final block first, so that the connection keeps a whole window from then on.
                    binary(sender.compress(hello, new int[0], last)),
                    binary(sender.compress(text, new int[0], last)),
                    binary(sender.compress(digits, new int[200], flush)),
                    binary(sender.compress(text, new int[1], flush)),
                    binary(sender.compress(text, new int[200], flush)));
            assertEquals(List.of(message(hello), message(text), message(digits), message(text)),
                    events.subList(0, 4));
            assertFailure(events.get(4), HISTORY_NOT_KEPT);
        } finally {
            client.release();
        }
    }

    private static Event message(byte[] bytes) {
        return new Event.Binary(ByteBuffer.wrap(bytes));
    }

    private static ByteBuffer binary(byte[] payload) {
        return FrameEncoder.encode(true, Extension.RSV1, Opcode.BINARY, ByteBuffer.wrap(payload), false, 0);
    }

    private static byte[] concat(ByteBuffer... frames) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (ByteBuffer frame : frames) {
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
