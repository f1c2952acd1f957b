package io.sockwave.interop.matrix;

import java.util.List;

/** A connection of a browser's {@code WebSocket}, whose API sends whole messages only and has no ping. */
interface BrowserLink extends Link {
    @Override
    default String sendTextFragments(List<String> pieces) {
        throw new UnsupportedOperationException("the browser's WebSocket API sends whole messages only");
    }

    @Override
    default void sendBinaryFragments(List<byte[]> pieces) {
        throw new UnsupportedOperationException("the browser's WebSocket API sends whole messages only");
    }

    @Override
    default void ping(String payload) {
        throw new UnsupportedOperationException("the browser's WebSocket API cannot send a ping");
    }
}
