package io.sockwave.bench.peers.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.Test;

/**
 * The generator's pre-masked frames (RFC 6455 §5.2, §5.3), checked by an independent decoder: Netty's server-side
 * frame decoder, which requires masking and unmasks.
 */
class ClientFramesTest {
    private static WebSocketFrame decode(byte[] frame) {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameDecoder(
                WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true).maxFramePayloadLength(1 << 20).build()));
        channel.writeInbound(Unpooled.wrappedBuffer(frame));
        WebSocketFrame decoded = channel.readInbound();
        channel.finishAndReleaseAll();
        return decoded;
    }

    @Test
    void section5_3_maskedFramesDecodeToTheirPayloadAtEveryLengthEncoding() {
        for (int length : new int[] {0, 1, 32, 125, 126, 16384, 65535, 65536, 70000}) {
            byte[] payload = ClientFrames.binaryPayload(length, length);
            WebSocketFrame frame = decode(ClientFrames.masked(ClientFrames.BINARY, payload, 0x5A17C0DE));
            try {
                assertTrue(frame instanceof BinaryWebSocketFrame, length + " bytes");
                assertTrue(frame.isFinalFragment());
                assertArrayEquals(payload, ByteBufUtil.getBytes(frame.content()), length + " bytes");
            } finally {
                frame.release();
            }
        }
    }

    @Test
    void section5_2_minimalLengthEncodingIsUsed() {
        assertEquals(2 + 4 + 125, ClientFrames.masked(ClientFrames.TEXT, new byte[125], 1).length);
        assertEquals(4 + 4 + 126, ClientFrames.masked(ClientFrames.TEXT, new byte[126], 1).length);
        assertEquals(4 + 4 + 65535, ClientFrames.masked(ClientFrames.TEXT, new byte[65535], 1).length);
        assertEquals(10 + 4 + 65536, ClientFrames.masked(ClientFrames.TEXT, new byte[65536], 1).length);
    }

    @Test
    void textPayloadIsValidUtf8AndDecodesAsText() {
        byte[] payload = ClientFrames.textPayload(32, 7);
        WebSocketFrame frame = decode(ClientFrames.masked(ClientFrames.TEXT, payload, 0x01020304));
        try {
            assertTrue(frame instanceof TextWebSocketFrame);
            assertArrayEquals(payload, ByteBufUtil.getBytes(frame.content()));
        } finally {
            frame.release();
        }
    }

    @Test
    void section5_5_1_closeFrameCarriesItsCode() {
        WebSocketFrame frame = decode(ClientFrames.masked(ClientFrames.CLOSE, ClientFrames.closePayload(1000), 9));
        try {
            assertEquals(1000, ((CloseWebSocketFrame) frame).statusCode());
        } finally {
            frame.release();
        }
    }

    @Test
    void burstRepeatsTheFrameBackToBack() {
        byte[] frame = ClientFrames.masked(ClientFrames.TEXT, ClientFrames.textPayload(32, 1), 5);
        ByteBuf burst = ClientFrames.burst(frame, 3);
        try {
            assertEquals(3 * frame.length, burst.readableBytes());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(frame, ByteBufUtil.getBytes(burst, i * frame.length, frame.length));
            }
        } finally {
            burst.release();
        }
    }
}
