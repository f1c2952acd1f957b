package io.sockwave.interop.matrix;

/** What a peer implementation can do, where that differs between peers. */
public interface PeerTraits {
    /**
     * @return the smallest window bits the peer takes for permessage-deflate, which Sockwave then asks for or
     *     imposes; 8 unless the peer refuses it
     */
    default int smallestWindowBits() {
        return 8;
    }

    /** @return why the peer cannot do permessage-deflate, or null when it can */
    default String noDeflateReason() {
        return null;
    }

    /**
     * @return why the peer's client reports the extensions the server answered without their parameters (so the
     *     scenarios take them from Sockwave's server), or null when it reports the header's whole value
     */
    default String extensionParametersHidden() {
        return null;
    }

    /**
     * @return why the peer's server declines permessage-deflate when offered a window below 15 bits (RFC 7692
     *     §7.1.2.1 lets it), or null when it accepts or answers otherwise
     */
    default String smallWindowDeclined() {
        return null;
    }

    /** @return why the peer's API cannot send a message in fragments, or null when it can */
    default String sendsNoFragments() {
        return null;
    }

    /** @return how a peer's server cuts the text it sends in fragments, for the matrix cell; or null */
    default String fragmentsNote() {
        return null;
    }

    /** @return how the peer trusts the test's certificate, when not through a trust store of its own; or null */
    default String tlsNote() {
        return null;
    }

    /**
     * @param smallestWindowBits see {@link #smallestWindowBits()}
     * @param fragmentsNote see {@link #fragmentsNote()}
     * @return traits that differ from the defaults in those two
     */
    static PeerTraits of(int smallestWindowBits, String fragmentsNote) {
        return new PeerTraits() {
            @Override
            public int smallestWindowBits() {
                return smallestWindowBits;
            }

            @Override
            public String fragmentsNote() {
                return fragmentsNote;
            }
        };
    }
}
