package io.sockwave.interop.matrix;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;

/**
 * Netty 4.2's websocketx server with its compression handler ({@code WebSocketServerCompressionHandler}) as a
 * commanded echo server; it sends fragments with U+1F600's UTF-8 bytes split between frames.
 */
final class NettyServer extends RecordingEchoServer {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    private NettyServer(Setup setup) throws InterruptedException {
        super(setup.tls() != null);
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/echo")
                .subprotocols(setup.subprotocols().isEmpty() ? null : String.join(",", setup.subprotocols()))
                .allowExtensions(true)
                .maxFramePayloadLength(NettyFrames.MAX_MESSAGE)
                .handleCloseFrames(false)
                .dropPongFrames(false)
                .build();
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls) {
                            SSLEngine engine = setup.tls().server().createSSLEngine();
                            engine.setUseClientMode(false);
                            p.addLast(new SslHandler(engine));
                        }
                        p.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), compression(setup),
                                new WebSocketServerProtocolHandler(config),
                                new WebSocketFrameAggregator(NettyFrames.MAX_MESSAGE), new CommandedEcho());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /**
     * Netty's compression handler as it comes, except for the variants its defaults decline: it takes
     * server_no_context_takeover and a smaller server window only when told to.
     */
    private static ChannelHandler compression(Setup setup) {
        return switch (setup.deflate()) {
            case NONE, DEFAULT -> new WebSocketServerCompressionHandler(0);
            case NO_CONTEXT_TAKEOVER -> new WebSocketServerExtensionHandler(
                    new PerMessageDeflateServerExtensionHandshaker(6, false, 15, true, false, 0));
            case SMALLEST_WINDOW -> new WebSocketServerExtensionHandler(
                    new PerMessageDeflateServerExtensionHandshaker(6, true, setup.windowBits(), false, false, 0));
        };
    }

    /** @return a factory of Netty servers */
    static EchoServer.Factory factory() {
        return EchoServer.Factory.of(NettyServer::new,
                PeerTraits.of(NettyClient.SMALLEST_WINDOW_BITS, "U+1F600's UTF-8 split across frames"));
    }




    @Override
    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() throws IOException {
        NettyFrames.shutdown(channel, group);
    }

    private final class CommandedEcho extends ChannelInboundHandlerAdapter {
        private boolean closeSent;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete complete) {
                // Netty does not tell the extensions it answered with; the client's view is checked instead.
                opened.complete(new Handshake(complete.selectedSubprotocol(), null));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof TextWebSocketFrame text) {
                    command(ctx, text.text());
                } else if (msg instanceof BinaryWebSocketFrame binary) {
                    ctx.writeAndFlush(new BinaryWebSocketFrame(binary.content().retain()));
                } else if (msg instanceof PongWebSocketFrame pong) {
                    ctx.writeAndFlush(new TextWebSocketFrame("!pong " + NettyFrames.utf8(pong.content())));
                } else if (msg instanceof CloseWebSocketFrame close) {
                    closed.complete(new Received.Closed(close.statusCode(), close.reasonText()));
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

        private void command(ChannelHandlerContext ctx, String text) {
            if (text.startsWith("!ping ")) {
                ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(
                        Commands.arguments(text).get(0).getBytes(StandardCharsets.UTF_8))));
            } else if (text.startsWith("!close ")) {
                List<String> args = Commands.arguments(text);
                closeSent = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(Integer.parseInt(args.get(0)), args.get(1)));
            } else if (text.equals("!fragments")) {
                NettyFrames.writeFragments(ctx.channel(), true, Commands.utf8Pieces());
                NettyFrames.writeFragments(ctx.channel(), false, Commands.binaryPieces());
            } else {
                ctx.writeAndFlush(new TextWebSocketFrame(text));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(new Received.Closed(1006, "connection ended without a close frame"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
