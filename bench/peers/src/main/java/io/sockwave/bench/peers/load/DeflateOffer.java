package io.sockwave.bench.peers.load;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The two permessage-deflate offers the generator makes (RFC 7692 §5, §7.1), and its check of the server's answer.
 * Both are offered without window-bits parameters, so that each server keeps its 15-bit windows; they differ only in
 * context takeover, which the offer alone decides: the servers are configured to accept either as offered.
 */
enum DeflateOffer {
    /** A plain offer: both directions keep their compression context from one message to the next. */
    CONTEXT_TAKEOVER("permessage-deflate"),
    /** Both directions compress every message on its own (§7.1.1.1, §7.1.1.2). */
    NO_CONTEXT_TAKEOVER("permessage-deflate; server_no_context_takeover; client_no_context_takeover");

    private static final String SERVER_NO_CONTEXT = "server_no_context_takeover";
    private static final String CLIENT_NO_CONTEXT = "client_no_context_takeover";
    private static final String SERVER_WINDOW = "server_max_window_bits";

    private final String header;

    DeflateOffer(String header) {
        this.header = header;
    }

    /** @return the Sec-WebSocket-Extensions value offered */
    String header() {
        return header;
    }

    /** @return whether the messages are compressed each on its own */
    boolean noContextTakeover() {
        return this == NO_CONTEXT_TAKEOVER;
    }

    /**
     * Checks the server's Sec-WebSocket-Extensions answer: exactly one permessage-deflate element (§7.1) whose
     * parameters are known, not repeated and the ones this offer asks for. A server that takes no context must say
     * so (§7.1.1.1); one that keeps it must not add either no_context_takeover parameter, which would change what
     * is measured. {@code server_max_window_bits} may narrow the server's window (the generator's inflater takes any);
     * {@code client_max_window_bits} was not offered, so it may not appear (§7.1.2.2).
     *
     * @param answer the header's value, several header lines joined with commas; null if the server sent none
     * @return null if the answer accepts the offer as made, else what is wrong with it
     */
    String verify(String answer) {
        if (answer == null || answer.isBlank()) {
            return "server did not accept permessage-deflate (no Sec-WebSocket-Extensions in its answer)";
        }
        if (answer.contains(",")) {
            return "server accepted more than one extension: " + answer;
        }
        String[] parts = answer.split(";");
        if (!parts[0].trim().equalsIgnoreCase("permessage-deflate")) {
            return "server answered an extension not offered: " + answer;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].trim().split("=", 2);
            String name = param[0].trim().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                return "parameter " + name + " repeated in " + answer;
            }
            boolean known = name.equals(SERVER_NO_CONTEXT) || name.equals(CLIENT_NO_CONTEXT)
                    || name.equals(SERVER_WINDOW) && param.length == 2 && validBits(param[1]);
            if (!known) {
                return "unexpected parameter " + parts[i].trim() + " in " + answer;
            }
        }
        if (noContextTakeover() && !seen.contains(SERVER_NO_CONTEXT)) {
            return "server did not accept server_no_context_takeover: " + answer;
        }
        if (!noContextTakeover() && (seen.contains(SERVER_NO_CONTEXT) || seen.contains(CLIENT_NO_CONTEXT))) {
            return "server imposed no context takeover on a plain offer: " + answer;
        }
        return null;
    }

    private static boolean validBits(String value) {
        String bits = value.trim().replace("\"", "");
        return bits.matches("[0-9]{1,2}") && Integer.parseInt(bits) >= 8 && Integer.parseInt(bits) <= 15;
    }
}
