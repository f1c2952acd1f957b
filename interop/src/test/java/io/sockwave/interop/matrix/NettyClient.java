package io.sockwave.interop.matrix;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's websocketx client with its permessage-deflate handlers, in this JVM: Netty answers pings itself; the
 * close handshake is left to this row's handler, so that it sees the code and reason.
 */
final class NettyClient implements PeerClient {
    /** jzlib, which Netty compresses with below 15 bits, refuses a window of 8 (netty/netty#8702). */
    static final int SMALLEST_WINDOW_BITS = 9;

    @Override
    public int smallestWindowBits() {
        return SMALLEST_WINDOW_BITS;
    }

    @Override
    public Link connect(URI uri, Setup setup) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SslContext tls = null;
        if (setup.tls() != null) {
            tls = SslContextBuilder.forClient()
                    .trustManager((X509Certificate) setup.tls().trustStore().getCertificate("server")).build();
        }
        Events events = new Events();
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(setup.subprotocols().isEmpty() ? null : String.join(",", setup.subprotocols()))
                .allowExtensions(true)
                .maxFramePayloadLength(NettyFrames.MAX_MESSAGE)
                .handleCloseFrames(false)
                .dropPongFrames(false)
                .build();
        SslContext ssl = tls;
        try {
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            if (ssl != null) {
                                p.addLast(ssl.newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
                            }
                            p.addLast(new HttpClientCodec(), new HttpObjectAggregator(65536), events.responsePeek());
                            switch (setup.deflate()) {
                                case NONE -> { }
                                case DEFAULT -> p.addLast(new WebSocketClientCompressionHandler(0));
                                case NO_CONTEXT_TAKEOVER -> p.addLast(new WebSocketClientExtensionHandler(
                                        new PerMessageDeflateClientExtensionHandshaker(6, false, 15, true, true, 0)));
                                case SMALLEST_WINDOW -> p.addLast(new WebSocketClientExtensionHandler(
                                        new PerMessageDeflateClientExtensionHandshaker(6, true, setup.windowBits(),
                                                false, false, 0)));
                            }
                            p.addLast(new WebSocketClientProtocolHandler(config),
                                    new WebSocketFrameAggregator(NettyFrames.MAX_MESSAGE), events);
                        }
                    })
                    .connect(uri.getHost(), uri.getPort()).sync().channel();
            String subprotocol = events.opened.get(30, TimeUnit.SECONDS);
            return new NettyLink(group, channel, events, subprotocol);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Queues whole messages (aggregated by Netty), pongs and the close. */
    private static final class Events extends ChannelInboundHandlerAdapter {
        final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
        final CompletableFuture<String> opened = new CompletableFuture<>();
        volatile String extensions = "";
        volatile boolean closeSent;
        private volatile boolean closeReceived;

        /** Reads the extensions from the handshake response, which Netty does not keep. */
        ChannelInboundHandlerAdapter responsePeek() {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof HttpResponse response) {
                        String header = response.headers().get("Sec-WebSocket-Extensions");
                        extensions = header == null ? "" : header;
                        ctx.pipeline().remove(this);
                    }
                    ctx.fireChannelRead(msg);
                }
            };
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                WebSocketClientProtocolHandler handler = ctx.pipeline().get(WebSocketClientProtocolHandler.class);
                opened.complete(handler.handshaker().actualSubprotocol());
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof TextWebSocketFrame text) {
                    queue.add(Received.Message.of(text.text()));
                } else if (msg instanceof BinaryWebSocketFrame binary) {
                    queue.add(Received.Message.of(false, NettyFrames.bytes(binary.content())));
                } else if (msg instanceof PongWebSocketFrame pong) {
                    queue.add(new Received.Pong(NettyFrames.utf8(pong.content())));
                } else if (msg instanceof CloseWebSocketFrame close) {
                    closeReceived = true;
                    queue.add(new Received.Closed(close.statusCode(), close.reasonText()));
                    if (closeSent) {
                        ctx.close();
                    } else {
                        closeSent = true;
                        ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
                                .addListener(f -> ctx.close());
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            opened.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            opened.completeExceptionally(new IllegalStateException("closed before the handshake completed"));
            if (!closeReceived) {
                queue.add(new Received.Closed(1006, "connection ended without a close frame"));
            }
        }
    }

    private record NettyLink(EventLoopGroup group, Channel channel, Events events, String subprotocol)
            implements Link {
        @Override
        public String extensions() {
            return events.extensions;
        }

        @Override
        public void send(Payload payload) throws Exception {
            NettyFrames.await(channel.writeAndFlush(payload.text() ? new TextWebSocketFrame(payload.string())
                    : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload.bytes()))));
        }

        @Override
        public void sendUtf8Fragments(List<byte[]> pieces) throws Exception {
            NettyFrames.await(NettyFrames.writeFragments(channel, true, pieces));
        }

        @Override
        public String sendTextFragments(List<String> pieces) {
            throw new UnsupportedOperationException("sent as UTF-8 fragments");
        }

        @Override
        public void sendBinaryFragments(List<byte[]> pieces) throws Exception {
            NettyFrames.await(NettyFrames.writeFragments(channel, false, pieces));
        }

        @Override
        public void ping(String payload) throws Exception {
            NettyFrames.await(channel.writeAndFlush(new PingWebSocketFrame(
                    Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)))));
        }

        @Override
        public void close(int code, String reason) throws Exception {
            events.closeSent = true;
            NettyFrames.await(channel.writeAndFlush(new CloseWebSocketFrame(code, reason)));
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            return events.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws IOException {
            NettyFrames.shutdown(channel, group);
        }
    }
}
