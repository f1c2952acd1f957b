package io.sockwave.protocol.handshake;

import io.sockwave.protocol.Opcode;
import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.PayloadSink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An extension factory that records what negotiation hands it. As a server it accepts the first offer without an
 * {@code unsupported} parameter (or answers any offer with a set response, see {@link #answering}); as a client it
 * refuses a response with a {@code bogus} parameter.
 */
final class FakeExtensionFactory implements ExtensionFactory {
    final List<List<ExtensionOffer>> offersSeen = new ArrayList<>();
    final List<Fake> created = new ArrayList<>();
    private final String name;
    private final int rsv;
    private final List<ExtensionOffer> clientOffers;
    private ExtensionOffer answer;

    FakeExtensionFactory(String name, int rsv, ExtensionOffer... clientOffers) {
        this.name = name;
        this.rsv = rsv;
        this.clientOffers = List.of(clientOffers);
    }

    /** @return a server-side factory that accepts any offer of its extension with {@code answer} as negotiated */
    static FakeExtensionFactory answering(int rsv, ExtensionOffer answer) {
        FakeExtensionFactory factory = new FakeExtensionFactory(answer.name(), rsv);
        factory.answer = answer;
        return factory;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Extension accept(List<ExtensionOffer> offers) {
        offersSeen.add(offers);
        if (answer != null) {
            return create(answer);
        }
        for (ExtensionOffer offer : offers) {
            if (offer.count("unsupported") == 0) {
                return create(offer);
            }
        }
        return null;
    }

    @Override
    public List<ExtensionOffer> offers() {
        return clientOffers;
    }

    @Override
    public Extension accepted(ExtensionOffer response) {
        if (response.count("bogus") > 0) {
            throw new IllegalArgumentException("bogus parameter");
        }
        return create(response);
    }

    private Fake create(ExtensionOffer negotiated) {
        Fake extension = new Fake(negotiated, rsv);
        created.add(extension);
        return extension;
    }

    /** A negotiated extension that only remembers whether it was closed; handshakes never move data. */
    static final class Fake implements Extension {
        final ExtensionOffer negotiated;
        final int rsv;
        boolean closed;

        Fake(ExtensionOffer negotiated, int rsv) {
            this.negotiated = negotiated;
            this.rsv = rsv;
        }

        @Override
        public String name() {
            return negotiated.name();
        }

        @Override
        public ExtensionOffer negotiated() {
            return negotiated;
        }

        @Override
        public int rsvBits() {
            return rsv;
        }

        @Override
        public void decode(ByteBuffer payload, boolean endOfMessage, PayloadSink out) {
            throw new UnsupportedOperationException("handshake tests move no data");
        }

        @Override
        public Encoded encode(Opcode type, ByteBuffer payload) {
            throw new UnsupportedOperationException("handshake tests move no data");
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
