package io.sockwave.bench.peers.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2 as its examples set it up: one event loop (acceptor and connections share it, as one CPU is all the
 * server gets), {@code HttpServerCodec}, the {@code HttpObjectAggregator} the handshake needs (the handshaker removes
 * it after the upgrade), {@link WebSocketServerProtocolHandler} for the handshake and control frames, and
 * {@link NettyFrameHandler} for echo and broadcast. No frame aggregator: the benchmark's messages are single frames.
 */
final class NettyServer implements BenchServer {
    /** Large enough for the 16 KiB messages and a handshake request. */
    private static final int MAX_PAYLOAD = 65536;

    private final MultiThreadIoEventLoopGroup group;
    private final Channel listener;

    private NettyServer(MultiThreadIoEventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    static NettyServer start(String host, int port, boolean epoll) throws InterruptedException {
        return start(host, port, epoll, null, false);
    }

    /**
     * @param tls the server's context for wss://, or null for ws://: its {@code SslHandler} goes first in each
     *     connection's pipeline, as Netty's own WebSocket examples put it
     * @param deflate whether to negotiate permessage-deflate, with {@link NettyDeflate#handler()} before the
     *     protocol handler, which then lets RSV1 through ({@code allowExtensions}), as Netty's own example does
     */
    static NettyServer start(String host, int port, boolean epoll, SslContext tls, boolean deflate)
            throws InterruptedException {
        if (epoll && !Epoll.isAvailable()) {
            throw new IllegalStateException("the native epoll transport is not available", Epoll.unavailabilityCause());
        }
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ChannelGroup subscribers = new DefaultChannelGroup("broadcast", group.next());
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .maxFramePayloadLength(MAX_PAYLOAD)
                .allowExtensions(deflate)
                .build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_PAYLOAD));
                        if (deflate) {
                            ch.pipeline().addLast(NettyDeflate.handler());
                        }
                        ch.pipeline().addLast(
                                new WebSocketServerProtocolHandler(config),
                                new NettyFrameHandler(subscribers));
                    }
                });
        try {
            Channel listener = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
            return new NettyServer(group, listener);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    @Override
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
