/**
 * Sockwave's sans-I/O WebSocket engine (RFC 6455): handshake, framing, masking, UTF-8 validation,
 * extensions and the connection state machine. It owns no socket, thread or clock: bytes go in,
 * events come out; calls go in, bytes come out.
 */
module io.sockwave.protocol {
    exports io.sockwave.protocol;
    exports io.sockwave.protocol.handshake;
    exports io.sockwave.protocol.extension;
}
