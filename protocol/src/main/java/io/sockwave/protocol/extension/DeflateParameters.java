package io.sockwave.protocol.extension;

/**
 * The four parameters of permessage-deflate (RFC 7692 §7.1), as read from one offer or response, or as agreed.
 *
 * @param serverNoContextTakeover §7.1.1.1: the server resets its compression context after each message
 * @param clientNoContextTakeover §7.1.1.2: the client resets its compression context after each message
 * @param serverMaxWindowBits §7.1.2.1: the largest LZ77 window the server may use, 8-15, or {@link #ABSENT}
 * @param clientMaxWindowBits §7.1.2.2: the largest LZ77 window the client may use, 8-15; {@link #NO_VALUE} when the
 *     parameter appears without a value (a client saying it can honour a limit), or {@link #ABSENT}
 */
record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
                         int clientMaxWindowBits) {
    static final String NAME = "permessage-deflate";
    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";
    static final int ABSENT = -1;
    static final int NO_VALUE = 0;
    static final int MIN_WINDOW_BITS = 8;
    static final int MAX_WINDOW_BITS = 15;

    /**
     * Reads and validates the parameters of one element (§7.1): each known parameter at most once, with a valid
     * value, and no unknown parameter.
     *
     * @param element an offer or a response
     * @param isOffer whether it is a client's offer (where {@code client_max_window_bits} may lack a value)
     * @return the parameters
     * @throws IllegalArgumentException with a readable reason when the element is invalid
     */
    static DeflateParameters parse(ExtensionOffer element, boolean isOffer) {
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        int serverBits = ABSENT;
        int clientBits = ABSENT;
        for (ExtensionParameter p : element.parameters()) {
            String name = p.name().toLowerCase(java.util.Locale.ROOT);
            if (element.count(name) > 1) {
                throw new IllegalArgumentException("parameter " + name + " appears more than once");
            }
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER -> serverNoContext = flag(p);
                case CLIENT_NO_CONTEXT_TAKEOVER -> clientNoContext = flag(p);
                case SERVER_MAX_WINDOW_BITS -> serverBits = windowBits(p, false);
                case CLIENT_MAX_WINDOW_BITS -> clientBits = windowBits(p, isOffer);
                default -> throw new IllegalArgumentException("unknown parameter " + p.name());
            }
        }
        return new DeflateParameters(serverNoContext, clientNoContext, serverBits, clientBits);
    }

    private static boolean flag(ExtensionParameter p) {
        if (p.value() != null) {
            throw new IllegalArgumentException("parameter " + p.name() + " takes no value");
        }
        return true;
    }

    private static int windowBits(ExtensionParameter p, boolean valueOptional) {
        if (p.value() == null) {
            if (valueOptional) {
                return NO_VALUE;
            }
            throw new IllegalArgumentException("parameter " + p.name() + " needs a value");
        }
        String v = p.value();
        // §7.1.2: the value is 1*DIGIT without leading zeros, in the range 8 to 15.
        boolean digits = !v.isEmpty() && v.length() <= 2 && v.chars().allMatch(c -> c >= '0' && c <= '9')
                && v.charAt(0) != '0';
        int bits = digits ? Integer.parseInt(v) : -1;
        if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("parameter " + p.name() + " has invalid value " + v + " (8 to 15)");
        }
        return bits;
    }

    /** @return the element that states these parameters, in a fixed order */
    ExtensionOffer toElement() {
        java.util.List<ExtensionParameter> params = new java.util.ArrayList<>(4);
        if (serverNoContextTakeover) {
            params.add(new ExtensionParameter(SERVER_NO_CONTEXT_TAKEOVER, null));
        }
        if (clientNoContextTakeover) {
            params.add(new ExtensionParameter(CLIENT_NO_CONTEXT_TAKEOVER, null));
        }
        if (serverMaxWindowBits != ABSENT) {
            params.add(new ExtensionParameter(SERVER_MAX_WINDOW_BITS, Integer.toString(serverMaxWindowBits)));
        }
        if (clientMaxWindowBits != ABSENT) {
            params.add(new ExtensionParameter(CLIENT_MAX_WINDOW_BITS,
                    clientMaxWindowBits == NO_VALUE ? null : Integer.toString(clientMaxWindowBits)));
        }
        return new ExtensionOffer(NAME, params);
    }
}
