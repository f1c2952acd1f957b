package io.sockwave.interop.matrix;

/** One column of the interoperability matrix: a thing two implementations must agree on. */
public enum Feature {
    HANDSHAKE("handshake"),
    SUBPROTOCOL("subprotocol"),
    TEXT_SIZES("text 0–65536 B, UTF-8"),
    BINARY_SIZES("binary 0–65536 B"),
    LARGE("16 MiB text + binary"),
    FRAGMENTS_TO_PEER("fragments Sockwave → peer"),
    FRAGMENTS_FROM_PEER("fragments peer → Sockwave"),
    PING_PONG("ping/pong both ways"),
    CLOSE_BY_SOCKWAVE("close by Sockwave (code+reason)"),
    CLOSE_BY_PEER("close by peer (code+reason)"),
    DEFLATE("deflate"),
    DEFLATE_NO_CONTEXT_TAKEOVER("deflate, no context takeover"),
    DEFLATE_SMALLEST_WINDOW("deflate, smallest window"),
    TLS("TLS (wss://)");

    private final String title;

    Feature(String title) {
        this.title = title;
    }

    /** @return the column heading */
    public String title() {
        return title;
    }
}
