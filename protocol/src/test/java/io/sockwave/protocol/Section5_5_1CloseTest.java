package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.CLOSE;
import static io.sockwave.protocol.Frames.TEXT;
import static io.sockwave.protocol.Frames.closePayload;
import static io.sockwave.protocol.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** RFC 6455 §5.5.1 (the close frame), §7.1 (closing the connection) and §7.1.1 (who closes TCP). */
class Section5_5_1CloseTest {

    @Test
    void emptyCloseIsReportedAs1005AndAnsweredWithAnEmptyClose() {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.client(CLOSE, new byte[0]));

        assertEquals(List.of(new Event.Close(CloseCode.NO_STATUS_RECEIVED, "")), events);
        List<Frames.Decoded> out = server.output();
        assertEquals(1, out.size());
        assertEquals(CLOSE, out.get(0).opcode());
        assertArrayEquals(new byte[0], out.get(0).payload(), "1005 must never be sent: the reply carries no code");
    }

    @Test
    void oneBytePayloadIs1002() {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.client(CLOSE, new byte[] {0x03}));

        assertEquals(List.of(new Event.Failure(CloseCode.PROTOCOL_ERROR, "close frame with a 1-byte payload")), events);
        assertEquals(CloseCode.PROTOCOL_ERROR, server.output().get(0).closeCode());
    }

    @Test
    void reasonThatIsNotUtf8Is1007() {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.client(CLOSE,
                closePayload(1000, Frames.bytes('o', 'k', 0xCE, 0xBA, 0xED, 0xA0, 0x80))));

        assertEquals(List.of(new Event.Failure(CloseCode.INVALID_PAYLOAD_DATA, "close reason is not valid UTF-8")),
                events);
        assertEquals(CloseCode.INVALID_PAYLOAD_DATA, server.output().get(0).closeCode());
    }

    @Test
    void reasonThatEndsInsideACodePointIs1007() {
        List<Event> events = Peer.server().receive(Frames.client(CLOSE, closePayload(1000, Frames.bytes(0xE2, 0x82))));

        assertEquals(List.of(new Event.Failure(CloseCode.INVALID_PAYLOAD_DATA, "close reason is not valid UTF-8")),
                events);
    }

    @Test
    void utf8ReasonOfTheFull123BytesIsDelivered() {
        String reason = "é".repeat(61) + "x";

        List<Event> events = Peer.server().receive(Frames.client(CLOSE, closePayload(4000, utf8(reason))));

        assertEquals(List.of(new Event.Close(4000, reason)), events);
    }

    @Test
    void closeIsAnsweredWithACloseAndTheStateBecomesClosed() {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.client(CLOSE, closePayload(1001, utf8("going"))));

        assertEquals(List.of(new Event.Close(1001, "going")), events);
        List<Frames.Decoded> out = server.output();
        assertEquals(1, out.size());
        assertEquals(1001, out.get(0).closeCode());
        assertEquals(State.CLOSED, server.state());
        assertFalse(server.connection.isOutputOpen());
        assertNull(server.connection.failure());
    }

    @Test
    void nothingIsProcessedAfterTheClose() {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.concat(
                Frames.client(CLOSE, closePayload(1000, new byte[0])),
                Frames.client(TEXT, utf8("after")),
                Frames.client(Frames.PING, utf8("after")),
                Frames.client(0x3, new byte[0])));
        List<Event> later = server.receive(Frames.client(TEXT, utf8("later")));

        assertEquals(List.of(new Event.Close(1000, "")), events);
        assertEquals(List.of(), later);
        assertEquals(1, server.output().size(), "only the close reply: no pong, no failure");
    }

    @Test
    void initiatedCloseMovesToClosingThenToClosedOnThePeersReply() {
        Peer client = Peer.client();

        Frames.Decoded sent = Frames.decode(client.connection.close(CloseCode.NORMAL_CLOSURE, "done"));
        assertEquals(State.CLOSING, client.state());
        List<Event> events = client.receive(Frames.server(CLOSE, closePayload(1000, new byte[0])));

        assertEquals(1000, sent.closeCode());
        assertEquals("done", sent.closeReason());
        assertEquals(List.of(new Event.Close(1000, "")), events);
        assertEquals(State.CLOSED, client.state());
        assertEquals(List.of(), client.output(), "our close was already sent: no second close");
    }

    @Test
    void dataStillArrivesWhileClosing() {
        Peer server = Peer.server();
        server.connection.close(CloseCode.NORMAL_CLOSURE, "");

        List<Event> events = server.receive(Frames.concat(Frames.client(TEXT, utf8("in flight")),
                Frames.client(CLOSE, closePayload(1000, new byte[0]))));

        assertEquals(List.of(new Event.Text("in flight"), new Event.Close(1000, "")), events);
    }

    /**
     * §5.5.1 forbids data frames after a close; a ping is refused too (the peer reads it after the close, when §5.5.2
     * owes no pong), but not a pong: a ping that comes before the peer's close is still owed one (§5.5.2), which the
     * application sends itself when automatic pongs are off.
     */
    @Test
    void noFrameButAPongMayBeSentAfterACloseIsSent() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        server.close(CloseCode.NORMAL_CLOSURE, "");

        assertSendsRefused(server, false);
        assertFalse(server.isOutputOpen());
        assertEquals(0x8A, server.pong(ByteBuffer.allocate(0)).get(0) & 0xFF);
    }

    @Test
    void noFrameMayBeSentAfterACloseIsReceived() {
        Peer server = Peer.server();
        server.receive(Frames.client(CLOSE, closePayload(1000, new byte[0])));

        assertSendsRefused(server.connection, true);
    }

    @Test
    void noFrameMayBeSentAfterTheConnectionFailed() {
        Peer server = Peer.server();
        server.receive(Frames.client(0x3, new byte[0]));

        assertSendsRefused(server.connection, true);
    }

    /** @param pongToo whether a pong is refused as well: once the peer's close came or the connection failed */
    private static void assertSendsRefused(Connection connection, boolean pongToo) {
        List<Executable> sends = new ArrayList<>(List.of(
                () -> connection.sendText("x"),
                () -> connection.sendBinary(ByteBuffer.allocate(1)),
                () -> connection.sendFragment(Opcode.TEXT, ByteBuffer.allocate(1), true),
                () -> connection.ping(ByteBuffer.allocate(0)),
                () -> connection.close(CloseCode.NORMAL_CLOSURE, "")));
        if (pongToo) {
            sends.add(() -> connection.pong(ByteBuffer.allocate(0)));
        }
        for (Executable send : sends) {
            assertThrows(IllegalStateException.class, send);
        }
    }

    @Test
    void theApiRefusesAReasonOver123BytesOfUtf8() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));

        // 62 two-byte characters: 62 characters but 124 bytes.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> server.close(CloseCode.NORMAL_CLOSURE, "é".repeat(62)));
        assertEquals("close reason of 124 bytes exceeds 123 bytes of UTF-8 (RFC 6455 §5.5)", e.getMessage());
        assertEquals(State.OPEN, server.state());

        Frames.Decoded close = Frames.decode(server.close(CloseCode.NORMAL_CLOSURE, "a".repeat(123)));
        assertEquals(125, close.payload().length);
    }

    @Test
    void theApiRefusesAReasonWithAnUnpairedSurrogate() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));

        assertThrows(IllegalArgumentException.class, () -> server.close(CloseCode.NORMAL_CLOSURE, "bad \uD800"));
        assertThrows(IllegalArgumentException.class, () -> server.sendText("bad \uDC00 low"));
        assertThrows(IllegalArgumentException.class, () -> server.sendText("ends high \uD83D"));
        assertEquals("😀", new String(Frames.decode(server.sendText("😀")).payload(),
                StandardCharsets.UTF_8));
    }

    @Test
    void failingCloseCarriesAReasonCutTo123BytesAtACodePoint() {
        byte[] reason = ClosePayload.truncatedReason("€".repeat(50));

        assertEquals(123, reason.length, "41 three-byte characters");
        assertEquals("€".repeat(41), new String(reason, StandardCharsets.UTF_8));
        assertEquals(120, ClosePayload.truncatedReason("x".repeat(120) + "😀").length,
                "a 4-byte character that does not fit is left out whole");
    }

    @Test
    void aHandlerFailsTheConnectionByThrowingAProtocolException() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        EventQueue failures = new EventQueue();
        EventHandler refusing = new EventHandler() {
            @Override
            public void onText(String text) {
                throw new ProtocolException(CloseCode.POLICY_VIOLATION, "not welcome");
            }

            @Override
            public void onFailure(ProtocolException error) {
                failures.onFailure(error);
            }
        };

        server.receive(ByteBuffer.wrap(Frames.client(TEXT, utf8("hi"))), refusing);

        assertEquals(List.of(new Event.Failure(CloseCode.POLICY_VIOLATION, "not welcome")), failures.drain());
        assertEquals(CloseCode.POLICY_VIOLATION, Frames.decode(server.pollOutput()).closeCode());
        assertEquals(State.CLOSED, server.state());
    }

    @Test
    void anyOtherHandlerExceptionPropagatesAndTheConnectionCarriesOn() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        EventHandler throwing = new EventHandler() {
            @Override
            public void onText(String text) {
                throw new IllegalStateException("application bug");
            }
        };

        assertThrows(IllegalStateException.class,
                () -> server.receive(ByteBuffer.wrap(Frames.client(TEXT, utf8("boom"))), throwing));
        EventQueue events = new EventQueue();
        server.receive(ByteBuffer.wrap(Frames.client(Frames.BINARY, new byte[] {1})), events);

        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(new byte[] {1}))), events.drain());
        assertEquals(State.OPEN, server.state());
    }

    // ------------------------------------------------------------------ §7.1.1: who closes TCP

    @Test
    void serverClosesTheTransportOnceTheHandshakeIsComplete() {
        Peer answering = Peer.server();
        assertFalse(answering.connection.shouldCloseTransport());
        answering.receive(Frames.client(CLOSE, closePayload(1000, new byte[0])));
        assertTrue(answering.connection.shouldCloseTransport(), "server that answered a close");

        Peer initiating = Peer.server();
        initiating.connection.close(CloseCode.NORMAL_CLOSURE, "");
        assertFalse(initiating.connection.shouldCloseTransport(), "server still waiting for the client's close");
        initiating.receive(Frames.client(CLOSE, closePayload(1000, new byte[0])));
        assertTrue(initiating.connection.shouldCloseTransport(), "server whose close was answered");
    }

    @Test
    void clientWaitsForTheServerToCloseTheTransport() {
        Peer answering = Peer.client();
        answering.receive(Frames.server(CLOSE, closePayload(1000, new byte[0])));
        assertEquals(State.CLOSED, answering.state());
        assertFalse(answering.connection.shouldCloseTransport(), "client that answered a close");

        Peer initiating = Peer.client();
        initiating.connection.close(CloseCode.NORMAL_CLOSURE, "");
        initiating.receive(Frames.server(CLOSE, closePayload(1000, new byte[0])));
        assertFalse(initiating.connection.shouldCloseTransport(), "client whose close was answered");
        assertTrue(initiating.connection.receiveEof(), "the server's TCP close ends it cleanly");
    }

    @Test
    void eitherEndClosesTheTransportAfterFailingTheConnection() {
        Peer client = Peer.client();
        client.receive(Frames.server(0x3, new byte[0]));

        assertTrue(client.connection.shouldCloseTransport(), "§7.1.7: a failing endpoint closes");
    }

    @Test
    void endOfStreamWithoutACloseIsAnAbnormalClosure() {
        Peer server = Peer.server();

        assertFalse(server.connection.receiveEof());

        assertEquals(State.CLOSED, server.state());
        assertEquals(CloseCode.ABNORMAL_CLOSURE, server.connection.failure().closeCode());
        assertEquals(List.of(), server.output(), "1006 is never sent");
    }

    @Test
    void endOfStreamWhileClosingIsAnAbnormalClosure() {
        Peer server = Peer.server();
        server.connection.close(CloseCode.NORMAL_CLOSURE, "");

        assertFalse(server.connection.receiveEof());
        assertEquals(CloseCode.ABNORMAL_CLOSURE, server.connection.failure().closeCode());
    }

    @Test
    void endOfStreamReportedAgainIsStillAnAbnormalClosure() {
        // An I/O layer whose read keeps returning -1 may report the end more than once: the answer must not change.
        Peer server = Peer.server();
        assertFalse(server.connection.receiveEof());

        assertFalse(server.connection.receiveEof(), "§7.1.5: no close frame was received, so the closure is abnormal");
        assertEquals(CloseCode.ABNORMAL_CLOSURE, server.connection.failure().closeCode());
    }

    @Test
    void endOfStreamReportedAgainAfterACleanCloseIsStillClean() {
        Peer client = Peer.client();
        client.receive(Frames.server(CLOSE, closePayload(1000, new byte[0])));
        assertTrue(client.connection.receiveEof());

        assertTrue(client.connection.receiveEof());
    }
}
