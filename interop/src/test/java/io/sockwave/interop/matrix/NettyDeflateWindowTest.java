package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Why the Netty rows show ✗ for the smallest window: Netty's own permessage-deflate encoder, with no Sockwave
 * involved, loses bytes at 9 window bits and not at 10 or more. The message is the matrix's 70,000-byte binary
 * one; the compressed frame is inflated with the JDK's (15-bit, so lenient) inflater.
 */
class NettyDeflateWindowTest {
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {9, 10, 15})
    void nettysEncoderAloneRoundTripsOnlyAboveNineBits(int bits) throws Exception {
        byte[] message = Payload.binary(70_000).bytes();
        WebSocketExtensionData offer = new WebSocketExtensionData("permessage-deflate",
                Map.of("server_max_window_bits", Integer.toString(bits)));
        WebSocketServerExtension extension =
                new PerMessageDeflateServerExtensionHandshaker(6, true, 15, false, false, 0).handshakeExtension(offer);
        EmbeddedChannel channel = new EmbeddedChannel(extension.newExtensionEncoder());
        channel.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message)));
        WebSocketFrame frame = channel.readOutbound();
        byte[] compressed = NettyFrames.bytes(frame.content());
        frame.release();
        channel.finishAndReleaseAll();

        Inflater inflater = new Inflater(true);
        inflater.setInput(withFlushTail(compressed));
        byte[] inflated = new byte[message.length * 2];
        int length = inflater.inflate(inflated);
        inflater.end();
        byte[] got = Arrays.copyOf(inflated, length);
        if (bits == 9) {
            assertEquals(69_908, length, "Netty's 9-bit stream still loses the same bytes");
            assertFalse(Arrays.equals(message, got));
        } else {
            assertArrayEquals(message, got);
        }
    }

    /** RFC 7692 §7.2.2: the receiver appends the 00 00 ff ff the sender removed. */
    private static byte[] withFlushTail(byte[] compressed) {
        byte[] all = Arrays.copyOf(compressed, compressed.length + 4);
        all[all.length - 2] = (byte) 0xff;
        all[all.length - 1] = (byte) 0xff;
        return all;
    }
}
