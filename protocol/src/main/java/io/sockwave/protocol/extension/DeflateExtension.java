package io.sockwave.protocol.extension;

import io.sockwave.protocol.Opcode;
import java.nio.ByteBuffer;

/**
 * permessage-deflate as negotiated on one connection (RFC 7692 §7): messages at or above the size threshold are
 * compressed and sent with RSV1 on their first frame; incoming messages with RSV1 are inflated.
 *
 * <p>A message sent in fragments is compressed whatever its size, since its size is unknown when its first frame,
 * which must say whether it is compressed, goes out; only a fragment that is both first and last, a whole message,
 * is held to the threshold. A whole message of at least the window's size that deflate cannot shrink goes
 * uncompressed ({@link MessageDeflater#compressUnlessLarger}).
 */
final class DeflateExtension implements Extension {
    private final ExtensionOffer negotiated;
    private final int threshold;
    private final MessageDeflater deflater;
    private final MessageInflater inflater;

    /**
     * @param negotiated the element describing the agreement, as the server's response states it
     * @param threshold messages shorter than this many bytes are sent uncompressed
     * @param deflater compresses what this end sends
     * @param inflater decompresses what the peer sends
     */
    DeflateExtension(ExtensionOffer negotiated, int threshold, MessageDeflater deflater, MessageInflater inflater) {
        this.negotiated = negotiated;
        this.threshold = threshold;
        this.deflater = deflater;
        this.inflater = inflater;
    }

    @Override
    public String name() {
        return DeflateParameters.NAME;
    }

    @Override
    public ExtensionOffer negotiated() {
        return negotiated;
    }

    @Override
    public int rsvBits() {
        return RSV1;
    }

    @Override
    public void decode(ByteBuffer payload, boolean endOfMessage, PayloadSink out) {
        inflater.decode(payload, endOfMessage, out);
    }

    @Override
    public Encoded encode(Opcode type, ByteBuffer payload) {
        if (payload.remaining() < threshold) {
            return new Encoded(payload, 0);
        }
        // The buffer given is this extension's to consume: going back to its start costs no view per message.
        int start = payload.position();
        ByteBuffer compressed = deflater.compressUnlessLarger(payload);
        return compressed == null ? new Encoded(payload.position(start), 0) : new Encoded(compressed, RSV1);
    }

    @Override
    public Encoded encodeFragment(Opcode type, ByteBuffer payload, boolean first, boolean last) {
        if (first && last) {
            return encode(type, payload);
        }
        return new Encoded(deflater.compressFragment(payload, first, last), first ? RSV1 : 0);
    }

    @Override
    public void close() {
        deflater.close();
        inflater.close();
    }

    @Override
    public String toString() {
        return negotiated.toHeaderValue();
    }
}
