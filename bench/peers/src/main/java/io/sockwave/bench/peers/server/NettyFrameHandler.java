package io.sockwave.bench.peers.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's recommended shape for echo and fan-out. Echo writes the received frame back (its ownership passes to the
 * write, so no copy and no extra reference count) and flushes once per read batch, in {@code channelReadComplete}.
 * Broadcast writes one {@code retainedDuplicate()} of the received frame to every subscriber, sharing its buffer,
 * and flushes them all at the end of the read batch.
 */
final class NettyFrameHandler extends ChannelInboundHandlerAdapter {
    private final ChannelGroup subscribers;
    private boolean broadcast;
    private boolean broadcastPending;

    NettyFrameHandler(ChannelGroup subscribers) {
        this.subscribers = subscribers;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            broadcast = handshake.requestUri().startsWith("/broadcast");
            if (broadcast) {
                subscribers.add(ctx.channel());
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!broadcast && (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
            ctx.write(msg, ctx.voidPromise());
        } else if (broadcast && msg instanceof TextWebSocketFrame frame) {
            try {
                for (Channel ch : subscribers) {
                    ch.write(frame.retainedDuplicate(), ch.voidPromise());
                }
                broadcastPending = true;
            } finally {
                frame.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (broadcastPending) {
            broadcastPending = false;
            subscribers.flush();
        } else {
            ctx.flush();
        }
    }
}
