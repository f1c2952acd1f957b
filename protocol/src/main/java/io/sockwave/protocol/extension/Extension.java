package io.sockwave.protocol.extension;

import io.sockwave.protocol.Opcode;
import java.nio.ByteBuffer;

/**
 * A negotiated extension (RFC 6455 §9) as the connection uses it: it claims RSV bits and transforms the payload of
 * the messages that carry them. An instance belongs to one connection and is not thread-safe.
 *
 * <p>A message's RSV bits are those of its first frame. The decoder sees the payload of every frame of such a
 * message, in order. The encoder sees a message the application sends whole through {@link #encode}, and one it
 * sends in fragments through {@link #encodeFragment}, whose default leaves such messages as they are; an extension
 * that transforms only whole messages implements {@link #encode} alone.
 */
public interface Extension extends AutoCloseable {
    /** The RSV1 bit as it sits in a frame's first byte. */
    int RSV1 = 0x40;
    /** The RSV2 bit as it sits in a frame's first byte. */
    int RSV2 = 0x20;
    /** The RSV3 bit as it sits in a frame's first byte. */
    int RSV3 = 0x10;

    /** @return the extension token, e.g. {@code permessage-deflate} */
    String name();

    /** @return the element of {@code Sec-WebSocket-Extensions} that describes this extension as negotiated */
    ExtensionOffer negotiated();

    /** @return the RSV bits this extension gives meaning to; a frame with any other RSV bit set is refused (1002) */
    int rsvBits();

    /**
     * Decodes part of an incoming message whose first frame carried some of this extension's RSV bits.
     *
     * @param payload unmasked payload bytes, from position to limit; the decoder consumes them all
     * @param endOfMessage whether these are the last bytes of the message
     * @param out where decoded bytes go; it enforces the message size limit on the decoded size
     * @throws io.sockwave.protocol.ProtocolException when the payload cannot be decoded (1007 for corrupt data,
     *     1009 from {@code out} when the decoded message is too big)
     */
    void decode(ByteBuffer payload, boolean endOfMessage, PayloadSink out);

    /**
     * Encodes the payload of a whole outgoing data message.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param payload the message payload, from position to limit; consumed
     * @return the payload to send and the RSV bits to set on its first frame; RSV 0 and the payload unchanged when
     *     the extension leaves this message as it is
     */
    Encoded encode(Opcode type, ByteBuffer payload);

    /**
     * Encodes one fragment of an outgoing data message that the application sends in pieces (RFC 6455 §5.4), whose
     * total size is therefore unknown when its first frame goes out.
     *
     * <p>The connection calls this with {@code first} set for the first fragment of every such message, and the
     * RSV bits returned then go on the message's first frame and decide the rest of it. When they are 0 the
     * extension leaves this message as it is, and it sees none of the message's later fragments. Otherwise each
     * later fragment comes here in order, the final one with {@code last} set, and the RSV bits returned for them
     * are ignored: continuation frames carry none (RFC 7692 §6.1). A fragment may be empty. The payload returned
     * for a fragment is sent as one frame, and may be empty too; the peer's {@link #decode} sees the fragments'
     * payloads as one stream, so an encoder may hold bytes back from one fragment and send them with a later one.
     *
     * <p>If the connection closes while such a message is in progress, the rest never comes; {@link #close()}
     * follows.
     *
     * <p>The default leaves every fragmented message as it is (RSV 0, payload unchanged), which is always valid.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}: the type of the whole message, also on later
     *     fragments
     * @param payload the fragment's payload, from position to limit; consumed
     * @param first whether this fragment starts the message
     * @param last whether this fragment ends the message; a fragment that is both is a whole message
     * @return the payload of this fragment's frame, and on the first fragment the RSV bits for the message
     */
    default Encoded encodeFragment(Opcode type, ByteBuffer payload, boolean first, boolean last) {
        return new Encoded(payload, 0);
    }

    /** Releases what the extension holds outside the heap, such as a zlib stream; safe to call more than once. */
    @Override
    void close();

    /**
     * An encoded message payload.
     *
     * @param payload the bytes to send
     * @param rsv the RSV bits for the message's first frame
     */
    record Encoded(ByteBuffer payload, int rsv) {
    }
}
