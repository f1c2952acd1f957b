package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sockwave.protocol.CloseCode;
import io.sockwave.protocol.Connection;
import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventHandler;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.ProtocolException;
import io.sockwave.protocol.State;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connection.release() ends the connection's zlib streams. A connection used after it took new ones, through the
 * deflater or inflater it had just ended, and nothing would ever free them: the calls that receive or send are refused
 * with an IllegalStateException after release, as its Javadoc says, and the queries still answer.
 */
class UseAfterReleaseTest {
    private static final String TEXT = "compressible ".repeat(40);

    private final PerMessageDeflate clientFactory = PerMessageDeflate.defaults();
    private final PerMessageDeflate serverFactory = PerMessageDeflate.defaults();
    private final DeflatePeers peers = DeflatePeers.negotiate(clientFactory, serverFactory, Limits.DEFAULTS);

    @Test
    void sendingAfterReleaseIsRefusedAndTakesNoZlibStream() {
        Connection server = peers.server();
        server.release();

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> server.sendText(TEXT));
        assertEquals("the connection was released: it can no longer receive or send", refused.getMessage());
        assertThrows(IllegalStateException.class, () -> server.sendBinary(ByteBuffer.wrap(TEXT.getBytes())));
        assertThrows(IllegalStateException.class, () -> server.sendFragment(TEXT, false));
        assertThrows(IllegalStateException.class, () -> server.ping(ByteBuffer.allocate(0)));
        assertThrows(IllegalStateException.class, () -> server.pong(ByteBuffer.allocate(0)));
        assertThrows(IllegalStateException.class, () -> server.close(CloseCode.NORMAL_CLOSURE, ""));

        assertEquals(0, serverFactory.streamsInUse(), "a released connection holds no zlib stream");
        peers.release();
    }

    @Test
    void receivingAfterReleaseIsRefusedWithNothingConsumedAndTakesNoZlibStream() {
        ByteBuffer frame = peers.server().sendText(TEXT);
        Connection client = peers.client();
        client.release();
        EventQueue events = new EventQueue();

        assertThrows(IllegalStateException.class, () -> client.receive(frame, events));
        assertThrows(IllegalStateException.class, client::receiveEof);
        assertThrows(IllegalStateException.class,
                () -> client.fail(new ProtocolException(CloseCode.POLICY_VIOLATION, "late"), events));

        assertEquals(0, frame.position(), "nothing of a refused buffer is consumed");
        assertEquals(List.of(), events.drain());
        assertEquals(0, clientFactory.streamsInUse(), "a released connection holds no zlib stream");
        peers.release();
    }

    @Test
    void theQueriesStillAnswerAndReleaseMayBeRepeated() {
        Connection client = peers.client();
        client.release();
        client.release();

        assertEquals(State.OPEN, client.state());
        assertNull(client.failure());
        assertNull(client.pollOutput());
        assertEquals(-1, client.incompleteMessageBytes());
    }

    @Test
    void aReleaseFromAHandlerStopsDecodingAfterThatCallbackAndLeavesTheRestInTheBuffer() {
        ByteBuffer first = peers.server().sendText(TEXT);
        ByteBuffer second = peers.server().sendText(TEXT + "again");
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining()).put(first).put(second).flip();
        Connection client = peers.client();
        List<String> texts = new ArrayList<>();
        EventHandler releasing = new EventHandler() {
            @Override
            public void onText(String text) {
                texts.add(text);
                client.release();
            }
        };

        client.receive(both, releasing);

        assertEquals(List.of(TEXT), texts, "no message is decoded after the release");
        assertEquals(second.capacity(), both.remaining(), "the second message's frame stays undecoded");
        assertEquals(0, clientFactory.streamsInUse(), "the inflater the release ended is not taken again");
        peers.release();
    }

    @Test
    void aConnectionNeverReleasedStillWorksAsBefore() {
        EventQueue events = new EventQueue();
        peers.client().receive(peers.server().sendText(TEXT), events);

        assertEquals(List.of(new Event.Text(TEXT)), events.drain());
        peers.release();
        assertEquals(0, clientFactory.streamsInUse() + serverFactory.streamsInUse());
    }
}
