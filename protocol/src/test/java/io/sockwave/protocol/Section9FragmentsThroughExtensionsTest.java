package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.PayloadSink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §9 with §5.4: a message sent in fragments passes through the negotiated extensions as
 * {@link Extension#encodeFragment} states, and only its first frame carries RSV bits (§5.2).
 */
class Section9FragmentsThroughExtensionsTest {

    /** Prefixes every fragment it transforms with '+', and records the calls it sees. */
    private static final class Marking implements Extension {
        final List<String> calls = new ArrayList<>();
        final boolean accept;
        final int rsv;

        Marking(boolean accept, int rsv) {
            this.accept = accept;
            this.rsv = rsv;
        }

        @Override
        public String name() {
            return "x-marking";
        }

        @Override
        public ExtensionOffer negotiated() {
            return new ExtensionOffer(name(), List.of());
        }

        @Override
        public int rsvBits() {
            return rsv;
        }

        @Override
        public void decode(ByteBuffer payload, boolean endOfMessage, PayloadSink out) {
            throw new UnsupportedOperationException("this test only sends");
        }

        @Override
        public Encoded encode(Opcode type, ByteBuffer payload) {
            throw new UnsupportedOperationException("this test sends fragments only");
        }

        @Override
        public Encoded encodeFragment(Opcode type, ByteBuffer payload, boolean first, boolean last) {
            calls.add(type + (first ? " first" : "") + (last ? " last" : "") + " " + payload.remaining());
            if (!accept) {
                return new Encoded(payload, 0);
            }
            ByteBuffer out = ByteBuffer.allocate(payload.remaining() + 1).put((byte) '+').put(payload).flip();
            // RSV bits returned for a continuation are ignored: only the first frame carries them.
            return new Encoded(out, rsv);
        }

        @Override
        public void close() {
        }
    }

    private static Connection serverWith(Extension... extensions) {
        return new Connection(ConnectionConfig.of(Role.SERVER).withExtensions(List.of(extensions)));
    }

    private static List<Frames.Decoded> sendAbc(Connection server) {
        return List.of(Frames.decode(server.sendFragment(Opcode.BINARY, ByteBuffer.wrap(Frames.utf8("a")), false)),
                Frames.decode(server.sendFragment(Opcode.BINARY, ByteBuffer.wrap(Frames.utf8("bc")), false)),
                Frames.decode(server.sendFragment(Opcode.BINARY, ByteBuffer.wrap(Frames.utf8("")), true)));
    }

    @Test
    void anExtensionThatTransformsOnlyWholeMessagesLeavesFragmentedOnesAsTheyAre() {
        // PassThroughExtension sets RSV1 on every whole message but does not override encodeFragment.
        Connection server = serverWith(new PassThroughExtension());
        List<Frames.Decoded> frames = sendAbc(server);
        for (Frames.Decoded frame : frames) {
            assertEquals(0, frame.rsv(), "the default leaves the message untransformed, so no RSV bit");
        }
        assertArrayEquals(Frames.utf8("a"), frames.get(0).payload());
        assertArrayEquals(Frames.utf8("bc"), frames.get(1).payload());
        assertEquals(Frames.RSV1, Frames.decode(server.sendBinary(ByteBuffer.wrap(Frames.utf8("d")))).rsv(),
                "whole messages still go through encode");
    }

    @Test
    void anExtensionThatTakesTheFirstFragmentSeesEveryFragmentInOrderAndRsvGoesOnTheFirstFrameOnly() {
        Marking marking = new Marking(true, Extension.RSV2);
        List<Frames.Decoded> frames = sendAbc(serverWith(marking));
        assertEquals(List.of("BINARY first 1", "BINARY 2", "BINARY last 0"), marking.calls);
        assertEquals(List.of(Frames.RSV2, 0, 0), frames.stream().map(Frames.Decoded::rsv).toList());
        assertEquals(List.of(Frames.BINARY, Frames.CONTINUATION, Frames.CONTINUATION),
                frames.stream().map(Frames.Decoded::opcode).toList());
        assertArrayEquals(Frames.utf8("+a"), frames.get(0).payload());
        assertArrayEquals(Frames.utf8("+bc"), frames.get(1).payload());
        assertArrayEquals(Frames.utf8("+"), frames.get(2).payload());
    }

    @Test
    void anExtensionThatDeclinesTheFirstFragmentSeesNoneOfTheRestWhileTheNextOneDoes() {
        Marking declining = new Marking(false, Extension.RSV3);
        Marking accepting = new Marking(true, Extension.RSV2);
        List<Frames.Decoded> frames = sendAbc(serverWith(declining, accepting));
        assertEquals(List.of("BINARY first 1"), declining.calls);
        assertEquals(List.of("BINARY first 1", "BINARY 2", "BINARY last 0"), accepting.calls);
        assertEquals(Frames.RSV2, frames.get(0).rsv());
        assertArrayEquals(Frames.utf8("+bc"), frames.get(1).payload());

        // The decision is made afresh for each message.
        sendAbc(serverWith(declining));
        assertEquals(List.of("BINARY first 1", "BINARY first 1"), declining.calls);
    }

    @Test
    void theApplicationsBufferIsNotConsumedByExtensions() {
        ByteBuffer data = ByteBuffer.wrap(Frames.utf8("abc"));
        serverWith(new Marking(true, Extension.RSV2)).sendFragment(Opcode.TEXT, data, true);
        assertEquals(0, data.position());
        assertEquals(3, data.remaining());
    }
}
