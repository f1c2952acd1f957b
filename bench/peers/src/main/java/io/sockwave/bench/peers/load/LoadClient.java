package io.sockwave.bench.peers.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The load generator's transport: one Netty event loop on the native epoll transport (NIO only where epoll is not
 * available, as in a test on another OS), shared by every connection of a scenario. One thread keeps the generator
 * on the one CPU it is pinned to, with no locking between connections.
 */
public final class LoadClient implements AutoCloseable {
    private final MultiThreadIoEventLoopGroup group;
    /** Whether closing this client shuts the event loop down: false for a {@link #sibling}. */
    private final boolean ownsLoop;
    private final Class<? extends SocketChannel> channelType;
    private final Bootstrap bootstrap;
    private final String host;
    private final int port;
    /** Local addresses connections are bound to in turn before connecting; empty: the kernel's choice. */
    private final List<InetSocketAddress> sources;
    private int nextSource;
    /** For wss://: the generator's one TLS context, or null for ws://. */
    private final SslContext tls;

    /**
     * @param host the server's address (a loopback address)
     * @param port the server's port
     */
    public LoadClient(String host, int port) {
        this(newLoop(), true, host, port, List.of(), null);
    }

    private LoadClient(MultiThreadIoEventLoopGroup group, boolean ownsLoop, String host, int port,
            List<InetSocketAddress> sources, SslContext tls) {
        this.group = group;
        this.ownsLoop = ownsLoop;
        this.sources = sources;
        this.tls = tls;
        this.channelType = Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
        this.host = host;
        this.port = port;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                // Resolved once: an unresolved address would go through Netty's resolver on every connect, which
                // the handshake scenario does thousands of times a second.
                .remoteAddress(new InetSocketAddress(host, port));
    }

    private static MultiThreadIoEventLoopGroup newLoop() {
        // The generator's buffers are few and long-lived; sampling them for leaks would only cost CPU.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(1, io);
    }

    /**
     * A client of another server on this client's event loop, so that one thread drives both and the scenario
     * state they share needs no lock. Closing the sibling leaves the loop running; closing this client stops it.
     *
     * @param otherHost the other server's address (a loopback address)
     * @param otherPort the other server's port
     * @return the sibling
     */
    public LoadClient sibling(String otherHost, int otherPort) {
        return new LoadClient(group, false, otherHost, otherPort, List.of(), null);
    }

    /**
     * A client of the same server on this client's event loop whose connections are bound, in turn, to each of
     * {@code addresses} before they connect. One source address gives a server's port only as many connections as
     * the ephemeral port range holds (about 28,000 by default); each further loopback address gives as many more.
     *
     * @param addresses local loopback addresses, such as 127.0.0.2 to 127.0.0.9
     * @return the client
     */
    public LoadClient boundTo(List<String> addresses) {
        return new LoadClient(group, false, host, port,
                addresses.stream().map(a -> new InetSocketAddress(a, 0)).toList(), tls);
    }

    /**
     * A client of the same server on this client's event loop whose connections speak wss://, with the one
     * context of {@link WssContext}. Closing it leaves the loop running.
     *
     * @return the wss:// sibling
     */
    public LoadClient wss() {
        return new LoadClient(group, false, host, port, sources, WssContext.get());
    }

    /** @return "epoll" or "nio": the transport the generator runs on */
    public String transport() {
        return channelType == EpollSocketChannel.class ? "epoll" : "nio";
    }

    /** @return the server's address */
    String host() {
        return host;
    }

    /** @return the server's port */
    int port() {
        return port;
    }

    /** @return the one event loop every connection runs on */
    EventLoop loop() {
        return group.next();
    }

    /**
     * Starts connecting; the connection sends its upgrade request once connected.
     *
     * @param connection the handler of the new connection
     * @return the connect future
     */
    ChannelFuture connect(WsConnection connection) {
        Bootstrap b = bootstrap.clone();
        if (tls == null) {
            b.handler(connection);
        } else {
            b.handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    // No peer host or port for the engine: the JDK's client looks sessions up by host and port, so
                    // without them it offers none to resume, and every connection pays a full handshake.
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()), connection);
                }
            });
        }
        if (sources.isEmpty()) {
            return b.connect();
        }
        InetSocketAddress source = sources.get(nextSource);
        nextSource = (nextSource + 1) % sources.size();
        return b.connect(b.config().remoteAddress(), source);
    }

    /**
     * Runs a task on the event loop and waits for it, so that scenario state needs no locks.
     *
     * @param task the task
     * @param <T> its result type
     * @return its result
     */
    <T> T onLoop(Callable<T> task) {
        try {
            return loop().submit(task).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("event loop task failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("event loop did not answer within 10 s", e);
        }
    }

    /**
     * @param task run on the event loop and waited for
     */
    void onLoop(Runnable task) {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    @Override
    public void close() {
        if (!ownsLoop) {
            return;
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
