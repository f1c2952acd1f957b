package io.sockwave.protocol.extension;

import io.sockwave.protocol.Opcode;
import java.nio.ByteBuffer;

/**
 * A negotiated extension (RFC 6455 §9) as the connection uses it: it claims RSV bits and transforms the payload of
 * the messages that carry them. An instance belongs to one connection and is not thread-safe.
 *
 * <p>Messages are transformed whole: a message's RSV bits are those of its first frame, and the decoder sees the
 * payload of every frame of such a message, in order.
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
