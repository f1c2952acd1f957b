package io.sockwave.cli;

import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.util.List;

/** Where {@code --compression} turns into the extensions a server accepts or a client offers. */
public final class Compression {
    private static final List<ExtensionFactory> DEFLATE = List.of(PerMessageDeflate.defaults());

    private Compression() {}

    /**
     * @param enabled whether the user asked for compression
     * @return permessage-deflate (RFC 7692) with its defaults when enabled, nothing otherwise
     */
    public static List<ExtensionFactory> factories(boolean enabled) {
        return enabled ? DEFLATE : List.of();
    }
}
