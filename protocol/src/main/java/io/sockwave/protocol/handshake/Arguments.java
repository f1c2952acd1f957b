package io.sockwave.protocol.handshake;

import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.HttpTokens;
import java.util.List;

/** Checks the subprotocols and extension factories that client and server handshakes are configured with. */
final class Arguments {
    private Arguments() {
    }

    /**
     * @return an immutable copy
     * @throws IllegalArgumentException if a name is not a token (RFC 6455 §4.1 step 10 and §11.3.4) or repeats
     */
    static List<String> subprotocols(List<String> subprotocols) {
        List<String> copy = List.copyOf(subprotocols);
        for (int i = 0; i < copy.size(); i++) {
            if (!HttpTokens.isToken(copy.get(i))) {
                throw new IllegalArgumentException("subprotocol is not a token: '" + copy.get(i) + "'");
            }
            if (copy.subList(0, i).contains(copy.get(i))) {
                throw new IllegalArgumentException("subprotocol listed twice: " + copy.get(i));
            }
        }
        return copy;
    }

    /**
     * @return an immutable copy
     * @throws IllegalArgumentException if a factory's name is not a token or two share a name (ignoring case),
     *     since a header element could not tell them apart
     */
    static List<ExtensionFactory> extensionFactories(List<ExtensionFactory> factories) {
        List<ExtensionFactory> copy = List.copyOf(factories);
        for (int i = 0; i < copy.size(); i++) {
            String name = copy.get(i).name();
            if (!HttpTokens.isToken(name)) {
                throw new IllegalArgumentException("extension name is not a token: '" + name + "'");
            }
            for (int j = 0; j < i; j++) {
                if (copy.get(j).name().equalsIgnoreCase(name)) {
                    throw new IllegalArgumentException("two extension factories named " + name);
                }
            }
        }
        return copy;
    }

    /** @return the factory negotiating the named extension, or null */
    static ExtensionFactory factoryNamed(List<ExtensionFactory> factories, String name) {
        for (ExtensionFactory factory : factories) {
            if (factory.name().equalsIgnoreCase(name)) {
                return factory;
            }
        }
        return null;
    }
}
