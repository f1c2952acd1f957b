package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.PING;
import static io.sockwave.protocol.Frames.PONG;
import static io.sockwave.protocol.Frames.TEXT;
import static io.sockwave.protocol.Frames.bigEndian;
import static io.sockwave.protocol.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §5.5 (control frames), §5.5.2 (ping) and §5.5.3 (pong). */
class Section5_5ControlFramesTest {

    @ParameterizedTest(name = "opcode 0x{0}")
    @ValueSource(ints = {PING, PONG, Frames.CLOSE})
    void controlPayloadOver125BytesIs1002(int opcode) {
        Peer server = Peer.server();
        // Announced in the 16-bit form, as a 126-byte payload must be; rejected on the header alone.
        byte[] header = Frames.header(0x80 | opcode, true, 126, bigEndian(126, 2));

        List<Event> events = server.receive(header);

        assertEquals(List.of(new Event.Failure(CloseCode.PROTOCOL_ERROR, "control frame payload over 125 bytes")),
                events);
        assertEquals(CloseCode.PROTOCOL_ERROR, server.output().get(0).closeCode());
    }

    @ParameterizedTest(name = "opcode 0x{0}")
    @ValueSource(ints = {PING, PONG, Frames.CLOSE})
    void fragmentedControlFrameIs1002(int opcode) {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.frame(false, 0, opcode, true, new byte[0]));

        assertEquals(List.of(new Event.Failure(CloseCode.PROTOCOL_ERROR, "fragmented control frame")), events);
    }

    @ParameterizedTest(name = "RSV 0x{0}")
    @ValueSource(ints = {0x40, 0x20, 0x10})
    void rsvBitOnAControlFrameIs1002EvenWhenAnExtensionClaimsIt(int rsv) {
        Peer server = new Peer(ConnectionConfig.of(Role.SERVER).withExtensions(List.of(new PassThroughExtension())));

        List<Event> events = server.receive(Frames.frame(true, rsv, PING, true, utf8("x")));

        assertEquals(List.of(new Event.Failure(CloseCode.PROTOCOL_ERROR, "RSV bits set on a control frame")), events);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 125})
    void pingIsAnsweredWithAPongCarryingTheSamePayload(int length) {
        Peer server = Peer.server();
        byte[] payload = Frames.pattern(length);

        List<Event> events = server.receive(Frames.client(PING, payload));

        assertEquals(List.of(new Event.Ping(ByteBuffer.wrap(payload))), events);
        List<Frames.Decoded> out = server.output();
        assertEquals(1, out.size());
        Frames.Decoded pong = out.get(0);
        assertEquals(PONG, pong.opcode());
        assertTrue(pong.fin());
        assertEquals(0, pong.rsv());
        assertArrayEquals(payload, pong.payload());
        assertEquals(State.OPEN, server.state());
    }

    @Test
    void pingFedByteByByteIsAnsweredOnce() {
        Peer client = Peer.client();
        List<Event> events = client.receiveByteByByte(Frames.server(PING, utf8("byte by byte")));

        assertEquals(List.of(new Event.Ping(ByteBuffer.wrap(utf8("byte by byte")))), events);
        List<Frames.Decoded> out = client.output();
        assertEquals(1, out.size());
        assertArrayEquals(utf8("byte by byte"), out.get(0).payload());
    }

    @Test
    void aBurstOfPingsInOneReadIsAnsweredPingByPingInOrder() {
        Peer server = Peer.server();

        // Autobahn case 2.10 sends ten pings at once and expects ten pongs with their payloads.
        byte[][] pings = new byte[10][];
        for (int i = 0; i < pings.length; i++) {
            pings[i] = Frames.client(PING, utf8("payload-" + i));
        }
        List<Event> events = server.receive(Frames.concat(pings));

        assertEquals(10, events.size(), "every ping is reported");
        List<Frames.Decoded> out = server.output();
        assertEquals(10, out.size());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(utf8("payload-" + i), out.get(i).payload());
        }
    }

    @Test
    void pingsThatArriveAfterThePongIsTakenGetTheirOwnPong() {
        Peer server = Peer.server();

        server.receive(Frames.client(PING, utf8("1")));
        List<Frames.Decoded> first = server.output();
        server.receive(Frames.client(PING, utf8("2")));
        List<Frames.Decoded> second = server.output();

        assertArrayEquals(utf8("1"), first.get(0).payload());
        assertArrayEquals(utf8("2"), second.get(0).payload());
    }

    @Test
    void aPingFloodQueuesABoundedNumberOfPongsAndAnswersTheLatest() {
        Peer server = Peer.server();

        // §5.5.3 lets an endpoint answer only the most recent of the pings it has not answered yet.
        for (int i = 0; i < 10_000; i++) {
            server.receive(Frames.client(PING, utf8("ping " + i)));
        }
        server.receive(Frames.client(Frames.CLOSE, Frames.closePayload(1000, new byte[0])));

        List<Frames.Decoded> out = server.output();
        assertEquals(OwedFrames.MAX_PENDING_PONGS + 1, out.size(), "the bounded pongs, then the close reply");
        assertEquals(Frames.CLOSE, out.get(out.size() - 1).opcode());
        assertArrayEquals(utf8("ping 9999"), out.get(out.size() - 2).payload(), "the newest ping is answered");
        assertArrayEquals(utf8("ping 0"), out.get(0).payload(), "the first pings keep their own pongs");
    }

    @Test
    void automaticPongCanBeDisabled() {
        Peer server = new Peer(ConnectionConfig.of(Role.SERVER).withAutoPong(false));

        List<Event> events = server.receive(Frames.client(PING, utf8("quiet")));

        assertEquals(List.of(new Event.Ping(ByteBuffer.wrap(utf8("quiet")))), events);
        assertEquals(List.of(), server.output());
        assertEquals(false, server.connection.hasOutput());
    }

    @Test
    void pongIsDeliveredAndNotAnswered() {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.client(PONG, utf8("unsolicited")));

        assertEquals(List.of(new Event.Pong(ByteBuffer.wrap(utf8("unsolicited")))), events);
        assertEquals(List.of(), server.output());
    }

    /**
     * §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response, unless it already
     * received a Close frame." An end that sent its close but has received none still owes the pong: §5.5.1 forbids
     * only data frames after a close. Both roles.
     */
    @Test
    void section5_5_2_pingAfterThisEndSentItsCloseIsStillAnswered() {
        for (Peer peer : List.of(Peer.server(), Peer.client())) {
            peer.connection.close(CloseCode.GOING_AWAY, "");
            byte[] ping = peer.connection.isClient()
                    ? Frames.server(PING, utf8("late")) : Frames.client(PING, utf8("late"));

            List<Event> events = peer.receive(ping);

            assertEquals(List.of(new Event.Ping(ByteBuffer.wrap(utf8("late")))), events);
            List<Frames.Decoded> out = peer.output();
            assertEquals(1, out.size(), "the pong");
            assertEquals(PONG, out.get(0).opcode());
            assertArrayEquals(utf8("late"), out.get(0).payload());
        }
    }

    /**
     * §5.5.1 forbids only data frames after a close, and §5.5.2 still owes the pong to a ping that came before the
     * peer's close: a pong the application sends after this end's close (its answer when automatic pongs are off) is
     * written, until the peer's close arrives. A ping after this end's close is refused: the peer reads it after the
     * close, when §5.5.2 owes it no pong. Both roles.
     */
    @Test
    void section5_5_controlFramesTheApplicationSendsAfterThisEndsClose() {
        for (Peer peer : List.of(Peer.server(), Peer.client())) {
            peer.connection.close(CloseCode.GOING_AWAY, "");

            Frames.Decoded pong = Frames.decode(peer.connection.pong(ByteBuffer.wrap(utf8("owed"))));
            assertEquals(PONG, pong.opcode());
            assertArrayEquals(utf8("owed"), pong.payload());
            IllegalStateException ping = assertThrows(IllegalStateException.class,
                    () -> peer.connection.ping(ByteBuffer.wrap(utf8("late"))));
            assertEquals(Connection.PING_AFTER_CLOSE, ping.getMessage());

            peer.receive(peer.connection.isClient() ? Frames.server(Frames.CLOSE, new byte[0])
                    : Frames.client(Frames.CLOSE, new byte[0]));
            IllegalStateException late = assertThrows(IllegalStateException.class,
                    () -> peer.connection.pong(ByteBuffer.wrap(utf8("late"))));
            assertTrue(late.getMessage().contains("§5.5.2 owes none"), late.getMessage());
        }
    }

    /** §5.5.2, the exception: once the peer's close arrived, a ping after it is neither processed nor answered. */
    @Test
    void section5_5_2_pingAfterThePeersCloseIsNotAnswered() {
        Peer server = Peer.server();
        server.connection.close(CloseCode.GOING_AWAY, "");
        server.receive(Frames.client(Frames.CLOSE, new byte[0]));

        List<Event> events = server.receive(Frames.client(PING, utf8("late")));

        assertEquals(List.of(), events);
        assertEquals(List.of(), server.output());
    }

    @Test
    void controlFrameIsAcceptedInTheMiddleOfAPartlyReceivedDataFrame() {
        Peer server = Peer.server();
        byte[] first = Frames.clientFragment(false, TEXT, utf8("abc"));

        List<Event> events = server.receive(Frames.concat(first, Frames.client(PING, new byte[0]),
                Frames.clientFragment(true, Frames.CONTINUATION, utf8("def"))));

        assertEquals(List.of(new Event.Ping(ByteBuffer.allocate(0)), new Event.Text("abcdef")), events);
    }

    // ------------------------------------------------------------------ sending

    @Test
    void pingAndPongRefuseAPayloadOver125Bytes() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));

        assertThrows(IllegalArgumentException.class, () -> server.ping(ByteBuffer.allocate(126)));
        assertThrows(IllegalArgumentException.class, () -> server.pong(ByteBuffer.allocate(126)));
        Frames.Decoded ping = Frames.decode(server.ping(ByteBuffer.wrap(Frames.pattern(125))));
        Frames.Decoded pong = Frames.decode(server.pong(ByteBuffer.wrap(Frames.pattern(125))));
        assertEquals(PING, ping.opcode());
        assertEquals(PONG, pong.opcode());
        assertArrayEquals(Frames.pattern(125), ping.payload());
    }

    @Test
    void sendingDoesNotConsumeTheCallersBuffer() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        ByteBuffer payload = ByteBuffer.wrap(utf8("keep"));

        server.ping(payload);
        server.sendBinary(payload);

        assertEquals(0, payload.position());
        assertEquals(4, payload.remaining());
    }
}
