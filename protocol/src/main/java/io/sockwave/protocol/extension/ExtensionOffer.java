package io.sockwave.protocol.extension;

import java.util.List;
import java.util.Objects;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1): an extension token and its parameters,
 * in the order they were written. Parameters are kept as a list, not a map, so that a repeated parameter, which
 * makes an offer invalid for permessage-deflate (RFC 7692 §7.1), stays visible.
 *
 * @param name the extension token
 * @param parameters the parameters in order
 */
public record ExtensionOffer(String name, List<ExtensionParameter> parameters) {
    /**
     * Creates the record, checking its components.
     *
     * @param name the extension token
     * @param parameters the parameters in order
     * @throws NullPointerException if an argument is null
     */
    public ExtensionOffer {
        Objects.requireNonNull(name, "name");
        parameters = List.copyOf(parameters);
    }

    /**
     * @param name a parameter token, compared ignoring case
     * @return how many times the parameter appears
     */
    public int count(String name) {
        int n = 0;
        for (ExtensionParameter p : parameters) {
            if (p.name().equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Renders the element as it is written in a header; values that are not tokens are quoted.
     *
     * @return e.g. {@code permessage-deflate; client_max_window_bits=10}
     */
    public String toHeaderValue() {
        StringBuilder out = new StringBuilder(name);
        for (ExtensionParameter p : parameters) {
            out.append("; ").append(p.name());
            if (p.value() != null) {
                out.append('=');
                if (HttpTokens.isToken(p.value())) {
                    out.append(p.value());
                } else {
                    out.append('"').append(p.value().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
        }
        return out.toString();
    }
}
