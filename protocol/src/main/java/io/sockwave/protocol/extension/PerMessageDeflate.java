package io.sockwave.protocol.extension;

import java.util.List;
import java.util.zip.Deflater;

/**
 * The permessage-deflate extension (RFC 7692): negotiation for both roles, and per-connection compression.
 *
 * <p>Pass an instance to the server or the client to turn compression on. The server accepts the first offer whose
 * parameters are all known, valid and not repeated, and declines the rest (§5, §7.1); a client refuses a response
 * that is invalid or accepts something it did not offer. Every {@code server_max_window_bits} and
 * {@code client_max_window_bits} from 8 to 15 is honoured (see {@link MessageDeflater} for how, given that
 * {@link Deflater} has a fixed window).
 *
 * <p><b>Memory per connection.</b> A direction with context takeover keeps its zlib stream for the connection's
 * life, created on first use: a deflater reserves about 256 KiB of native memory at the default memory level and an
 * inflater about 40 KiB, of which some 100 KiB together are resident once small messages have passed (measured by
 * {@code io.sockwave.bench.DeflateFootprint}). A direction without context takeover borrows a stream from a small pool shared by the
 * factory's connections for one message at a time, so an idle connection holds none. Set
 * {@link Builder#serverNoContextTakeover(boolean)} on a server with many connections to bound that cost. A peer that
 * ends its DEFLATE stream inside its data (a block with BFINAL set, RFC 7692 §7.2.3.4, which common implementations
 * never send) costs its connection a 32 KiB heap window besides, kept for the connection's life when that peer takes
 * over its context, so that what follows such a block is decoded with the history it may refer to.
 *
 * <p>Instances are immutable and thread-safe; one serves any number of connections.
 */
public final class PerMessageDeflate implements ExtensionFactory {
    private final int level;
    private final int threshold;
    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final int serverMaxWindowBits;
    private final int clientMaxWindowBits;
    private final ZlibPool pool;

    private PerMessageDeflate(Builder b) {
        this.level = b.level;
        this.threshold = b.threshold;
        this.serverNoContextTakeover = b.serverNoContextTakeover;
        this.clientNoContextTakeover = b.clientNoContextTakeover;
        this.serverMaxWindowBits = b.serverMaxWindowBits;
        this.clientMaxWindowBits = b.clientMaxWindowBits;
        this.pool = new ZlibPool(level);
    }

    /** @return permessage-deflate with the defaults of {@link Builder} */
    public static PerMessageDeflate defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return DeflateParameters.NAME;
    }

    // ------------------------------------------------------------------ server

    @Override
    public Extension accept(List<ExtensionOffer> offers) {
        for (ExtensionOffer offer : offers) {
            DeflateParameters requested;
            try {
                requested = DeflateParameters.parse(offer, true);
            } catch (IllegalArgumentException invalid) {
                continue;
            }
            return acceptOffer(requested);
        }
        return null;
    }

    private Extension acceptOffer(DeflateParameters offer) {
        // §7.1.1: either side may ask for no context takeover, and the server may impose it on both.
        boolean serverNoContext = offer.serverNoContextTakeover() || serverNoContextTakeover;
        boolean clientNoContext = offer.clientNoContextTakeover() || clientNoContextTakeover;
        // §7.1.2.1: accepting a server_max_window_bits offer means answering with the same or a smaller value.
        int serverBits = offer.serverMaxWindowBits() == DeflateParameters.ABSENT
                ? DeflateParameters.ABSENT : Math.min(offer.serverMaxWindowBits(), serverMaxWindowBits);
        // §7.1.2.2: client_max_window_bits may be answered only when offered, with at most the offered value.
        int clientBits = DeflateParameters.ABSENT;
        if (offer.clientMaxWindowBits() != DeflateParameters.ABSENT
                && clientMaxWindowBits < DeflateParameters.MAX_WINDOW_BITS) {
            clientBits = offer.clientMaxWindowBits() == DeflateParameters.NO_VALUE
                    ? clientMaxWindowBits : Math.min(offer.clientMaxWindowBits(), clientMaxWindowBits);
        }
        DeflateParameters agreed = new DeflateParameters(serverNoContext, clientNoContext, serverBits, clientBits);
        int sendingBits = serverBits == DeflateParameters.ABSENT ? serverMaxWindowBits : serverBits;
        return new DeflateExtension(agreed.toElement(), threshold,
                new MessageDeflater(pool, serverNoContext, sendingBits),
                new MessageInflater(pool, clientNoContext));
    }

    // ------------------------------------------------------------------ client

    @Override
    public List<ExtensionOffer> offers() {
        // client_max_window_bits without a value tells the server this client can honour any window limit.
        int clientBits = clientMaxWindowBits < DeflateParameters.MAX_WINDOW_BITS
                ? clientMaxWindowBits : DeflateParameters.NO_VALUE;
        int serverBits = serverMaxWindowBits < DeflateParameters.MAX_WINDOW_BITS
                ? serverMaxWindowBits : DeflateParameters.ABSENT;
        return List.of(new DeflateParameters(serverNoContextTakeover, clientNoContextTakeover, serverBits, clientBits)
                .toElement());
    }

    @Override
    public Extension accepted(ExtensionOffer response) {
        DeflateParameters r = DeflateParameters.parse(response, false);
        if (serverNoContextTakeover && !r.serverNoContextTakeover()) {
            throw new IllegalArgumentException("server did not accept server_no_context_takeover");
        }
        int offeredServerBits = serverMaxWindowBits < DeflateParameters.MAX_WINDOW_BITS
                ? serverMaxWindowBits : DeflateParameters.ABSENT;
        if (offeredServerBits != DeflateParameters.ABSENT) {
            if (r.serverMaxWindowBits() == DeflateParameters.ABSENT) {
                throw new IllegalArgumentException("server did not accept server_max_window_bits=" + offeredServerBits);
            }
            if (r.serverMaxWindowBits() > offeredServerBits) {
                throw new IllegalArgumentException("server_max_window_bits=" + r.serverMaxWindowBits()
                        + " exceeds the offered " + offeredServerBits);
            }
        }
        if (r.clientMaxWindowBits() != DeflateParameters.ABSENT && clientMaxWindowBits < DeflateParameters.MAX_WINDOW_BITS
                && r.clientMaxWindowBits() > clientMaxWindowBits) {
            throw new IllegalArgumentException("client_max_window_bits=" + r.clientMaxWindowBits()
                    + " exceeds the offered " + clientMaxWindowBits);
        }
        boolean clientNoContext = r.clientNoContextTakeover() || clientNoContextTakeover;
        int sendingBits = r.clientMaxWindowBits() == DeflateParameters.ABSENT
                ? clientMaxWindowBits : r.clientMaxWindowBits();
        return new DeflateExtension(response, threshold,
                new MessageDeflater(pool, clientNoContext, sendingBits),
                new MessageInflater(pool, r.serverNoContextTakeover()));
    }

    /**
     * What the connections negotiated through this factory hold in zlib streams now, for monitoring and leak checks.
     * With context takeover a connection holds one stream per direction for its whole life (a deflater is some
     * 300 KB of native memory); without it, one only while a message passes. Streams kept idle for reuse, at most a
     * few per processor, are not counted.
     *
     * @return the zlib streams in use by connections
     */
    public int streamsInUse() {
        return pool.streamsInUse();
    }

    @Override
    public String toString() {
        return "permessage-deflate(level=" + level + ", threshold=" + threshold + ")";
    }

    /** Settings for {@link PerMessageDeflate}; each setter returns the builder. */
    public static final class Builder {
        private int level = 6;
        private int threshold = 128;
        private boolean serverNoContextTakeover;
        private boolean clientNoContextTakeover;
        private int serverMaxWindowBits = DeflateParameters.MAX_WINDOW_BITS;
        private int clientMaxWindowBits = DeflateParameters.MAX_WINDOW_BITS;

        private Builder() {
        }

        /**
         * @param level the zlib compression level, 0 (none) to 9 (best); default 6
         * @return this builder
         */
        public Builder level(int level) {
            if (level < 0 || level > 9) {
                throw new IllegalArgumentException("compression level must be 0 to 9, was " + level);
            }
            this.level = level;
            return this;
        }

        /**
         * @param bytes messages shorter than this are sent uncompressed, since deflate saves little on them and
         *     costs CPU; default 128, 0 compresses every message (except one of at least the window's size that
         *     deflate cannot shrink, which goes uncompressed whatever the threshold)
         * @return this builder
         */
        public Builder threshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("threshold must not be negative, was " + bytes);
            }
            this.threshold = bytes;
            return this;
        }

        /**
         * @param on whether the server compresses each message on its own (§7.1.1.1): a client asks for it, a
         *     server imposes it; default false
         * @return this builder
         */
        public Builder serverNoContextTakeover(boolean on) {
            this.serverNoContextTakeover = on;
            return this;
        }

        /**
         * @param on whether the client compresses each message on its own (§7.1.1.2); default false
         * @return this builder
         */
        public Builder clientNoContextTakeover(boolean on) {
            this.clientNoContextTakeover = on;
            return this;
        }

        /**
         * @param bits the largest server window, 8 to 15: a client asks for it, a server uses at most it; default 15
         * @return this builder
         */
        public Builder serverMaxWindowBits(int bits) {
            this.serverMaxWindowBits = checkBits(bits);
            return this;
        }

        /**
         * @param bits the largest client window, 8 to 15: a server imposes it when the client allows, a client
         *     uses at most it; default 15
         * @return this builder
         */
        public Builder clientMaxWindowBits(int bits) {
            this.clientMaxWindowBits = checkBits(bits);
            return this;
        }

        /** @return the extension factory */
        public PerMessageDeflate build() {
            return new PerMessageDeflate(this);
        }

        private static int checkBits(int bits) {
            if (bits < DeflateParameters.MIN_WINDOW_BITS || bits > DeflateParameters.MAX_WINDOW_BITS) {
                throw new IllegalArgumentException("window bits must be 8 to 15, was " + bits);
            }
            return bits;
        }
    }
}
