package io.sockwave.interop.matrix;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What Netty's client and server rows share: sending a message as frames Netty builds, and waiting for a write. */
final class NettyFrames {
    static final int MAX_MESSAGE = 32 * 1024 * 1024;

    private NettyFrames() {
    }

    /** Writes a message in fragments: a text or binary frame, then continuation frames. */
    static ChannelFuture writeFragments(Channel channel, boolean text, List<byte[]> pieces) {
        ChannelFuture last = null;
        for (int i = 0; i < pieces.size(); i++) {
            boolean fin = i == pieces.size() - 1;
            ByteBuf data = Unpooled.wrappedBuffer(pieces.get(i));
            WebSocketFrame frame = i > 0 ? new ContinuationWebSocketFrame(fin, 0, data)
                    : text ? new TextWebSocketFrame(fin, 0, data) : new BinaryWebSocketFrame(fin, 0, data);
            last = channel.writeAndFlush(frame);
        }
        return last;
    }

    static byte[] bytes(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), bytes);
        return bytes;
    }

    static String utf8(ByteBuf buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** Closes a channel and stops its event loops, keeping an interrupt for the caller. */
    static void shutdown(Channel channel, io.netty.channel.EventLoopGroup group) throws IOException {
        try {
            channel.close().await(10, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while Netty stopped");
        }
    }

    /** Waits for a write and turns its failure into an exception. */
    static void await(ChannelFuture write) throws IOException, InterruptedException {
        if (!write.await(60, TimeUnit.SECONDS)) {
            throw new IOException("Netty did not write within 60 s");
        }
        if (!write.isSuccess()) {
            throw new IOException("Netty failed to write", write.cause());
        }
    }
}
