package io.sockwave;

import io.sockwave.protocol.Opcode;
import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.PayloadSink;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * An extension on RSV1, for both roles, whose decoder passes data through and whose encoder runs {@code onEncode}
 * first (which may throw, to stand for a broken encoder), then passes the payload through: lets a test run code, or
 * fail, inside a send or a hand-out.
 */
public record PassThroughExtensionFactory(String name, Runnable onEncode) implements ExtensionFactory {
    @Override
    public Extension accept(List<ExtensionOffer> offers) {
        return extension();
    }

    @Override
    public List<ExtensionOffer> offers() {
        return List.of(new ExtensionOffer(name, List.of()));
    }

    @Override
    public Extension accepted(ExtensionOffer response) {
        return extension();
    }

    private Extension extension() {
        return new Extension() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ExtensionOffer negotiated() {
                return new ExtensionOffer(name, List.of());
            }

            @Override
            public int rsvBits() {
                return RSV1;
            }

            @Override
            public void decode(ByteBuffer payload, boolean endOfMessage, PayloadSink out) {
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                out.write(bytes, 0, bytes.length);
            }

            @Override
            public Encoded encode(Opcode type, ByteBuffer payload) {
                onEncode.run();
                return new Encoded(payload, 0);
            }

            @Override
            public void close() {
            }
        };
    }
}
