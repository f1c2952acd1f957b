package io.sockwave.bench.peers.server;

import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

/**
 * Netty's permessage-deflate for the compression scenarios. {@link WebSocketServerCompressionHandler} is a
 * {@link WebSocketServerExtensionHandler} with a {@link PerMessageDeflateServerExtensionHandshaker} whose defaults
 * decline any offer asking for {@code server_no_context_takeover} ({@code allowServerNoContext} false) and ignore a
 * client's {@code client_no_context_takeover} ({@code preferredClientNoContext} false, so the server keeps an
 * inflater context the client never uses). The benchmark needs the offer alone to decide context takeover, as it
 * does for the other servers, so this is the same handler with the handshaker's two switches on and every other
 * setting at the compression handler's defaults: level 6, client windows of 15 bits, server windows as the client
 * asks (when the zlib in use supports it), no limit on an inflated message. Netty compresses every message (it has
 * no size threshold).
 */
final class NettyDeflate {
    private static final int LEVEL = 6;
    private static final int CLIENT_WINDOW_BITS = 15;

    private NettyDeflate() {
    }

    /** @return a new extension handler for one channel's pipeline, before the WebSocket protocol handler */
    static WebSocketServerExtensionHandler handler() {
        return new WebSocketServerExtensionHandler(new PerMessageDeflateServerExtensionHandshaker(LEVEL,
                ZlibCodecFactory.isSupportingWindowSizeAndMemLevel(), CLIENT_WINDOW_BITS, true, true, 0));
    }
}
