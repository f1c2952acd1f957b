package io.sockwave.protocol;

import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.PayloadSink;
import java.nio.ByteBuffer;
import java.util.List;

/** An extension that claims RSV1 and leaves payloads as they are, so tests can see how RSV bits are policed. */
final class PassThroughExtension implements Extension {
    int decodeCalls;

    @Override
    public String name() {
        return "x-pass-through";
    }

    @Override
    public ExtensionOffer negotiated() {
        return new ExtensionOffer(name(), List.of());
    }

    @Override
    public int rsvBits() {
        return RSV1;
    }

    @Override
    public void decode(ByteBuffer payload, boolean endOfMessage, PayloadSink out) {
        decodeCalls++;
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public Encoded encode(Opcode type, ByteBuffer payload) {
        return new Encoded(payload, RSV1);
    }

    @Override
    public void close() {
    }
}
