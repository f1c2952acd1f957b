package io.sockwave.cli;

import io.sockwave.protocol.extension.ExtensionFactory;
import java.util.List;

/** Where {@code --compression} turns into the extensions a server accepts or a client offers. */
public final class Compression {
    private Compression() {}

    /**
     * @param enabled whether the user asked for compression
     * @return the extension factories to configure; empty when disabled, and for now also when enabled, since no
     *     compression extension exists yet (the option stays hidden until one does)
     */
    public static List<ExtensionFactory> factories(boolean enabled) {
        return List.of();
    }
}
