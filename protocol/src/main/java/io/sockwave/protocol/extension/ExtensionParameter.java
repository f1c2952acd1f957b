package io.sockwave.protocol.extension;

import java.util.Objects;

/**
 * One parameter of an extension offer or response (RFC 6455 §9.1): a token, with an optional value.
 *
 * @param name the parameter token
 * @param value the value, unquoted, or null when the parameter has none
 */
public record ExtensionParameter(String name, String value) {
    /**
     * Creates the record, checking its components.
     *
     * @param name the parameter token
     * @param value the value, unquoted, or null when the parameter has none
     * @throws NullPointerException if {@code name} is null
     */
    public ExtensionParameter {
        Objects.requireNonNull(name, "name");
    }
}
