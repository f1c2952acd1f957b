package io.sockwave.bench.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Every simulated member of every room, on one Netty event loop (one thread, so that no state here needs a lock;
 * the main thread reaches it through {@link #onLoop}). Sends messages at a fixed rate from random members, records
 * each delivery's latency from the message's intended send time, and reconnects a member whose connection closes:
 * to its node if it is alive, else to another, resuming with its last offset where the system replays.
 */
final class Fleet implements AutoCloseable {
    /** Every message's text: 32 ASCII letters. */
    static final String TEXT = "abcdefghijklmnopqrstuvwxyzabcdef";
    private static final long MAX_LATENCY_MICROS = 120_000_000L;
    private static final int MAX_FRAME = 1 << 20;

    private final ChatWire wire;
    private final List<Node> nodes;
    private final boolean[] alive;
    private final List<Room> rooms = new ArrayList<>();
    private final List<ChatClient> clients = new ArrayList<>();
    private final MultiThreadIoEventLoopGroup group;
    private final Bootstrap bootstrap;
    private final SplittableRandom random = new SplittableRandom(16);
    private final int reconnectJitterMillis;

    private final Histogram crossNode = new Histogram(MAX_LATENCY_MICROS, 3);
    private final Histogram everyDelivery = new Histogram(MAX_LATENCY_MICROS, 3);
    private boolean recording;
    private long deliveries;
    private long framesReceived;
    private long duplicates;
    private long closes;
    private long failedConnects;
    private long resets;
    private long refusedMessages;
    private long problems;
    private String firstProblem;
    private boolean stopping;

    private ScheduledFuture<?> load;
    private long loadStart;
    private double messagesPerNano;
    private long scheduled;
    private long sent;
    private long skipped;

    /**
     * @param wire the chat system's protocol
     * @param nodes the cluster's nodes
     * @param roomCount rooms of the workload, named r0, r1...
     * @param reconnectJitterMillis a closed member waits a random time up to this before reconnecting
     */
    Fleet(ChatWire wire, List<Node> nodes, int roomCount, int reconnectJitterMillis) {
        this.wire = wire;
        this.nodes = nodes;
        this.alive = new boolean[nodes.size()];
        java.util.Arrays.fill(alive, true);
        this.reconnectJitterMillis = reconnectJitterMillis;
        for (int i = 0; i < roomCount; i++) {
            rooms.add(new Room(i));
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, io);
        Class<? extends SocketChannel> type = Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
        this.bootstrap = new Bootstrap().group(group).channel(type)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
    }

    ChatWire wire() {
        return wire;
    }

    List<Node> nodes() {
        return nodes;
    }

    List<Room> rooms() {
        return rooms;
    }

    List<ChatClient> clients() {
        return clients;
    }

    /**
     * Runs a task on the event loop and waits for it (at most 60 s).
     *
     * @param task the task
     * @param <T> its result type
     * @return its result
     */
    <T> T onLoop(Callable<T> task) {
        try {
            return group.next().submit(task).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("event loop task failed: " + e, e);
        }
    }

    void onLoop(Runnable task) {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    /**
     * Adds members and connects them: member i joins room i mod rooms on node (i / rooms) mod nodes, so that every
     * room has members on every node. Runs on the loop.
     *
     * @param count how many members to add
     */
    void addMembers(int count) {
        for (int i = 0; i < count; i++) {
            int index = clients.size();
            Room room = rooms.get(index % rooms.size());
            ChatClient c = new ChatClient(index, room, this);
            room.members.add(c);
            clients.add(c);
            connect(c, (index / rooms.size()) % nodes.size());
        }
    }

    /** @return members in their rooms now */
    int openCount() {
        int open = 0;
        for (ChatClient c : clients) {
            open += c.open ? 1 : 0;
        }
        return open;
    }

    private void connect(ChatClient c, int node) {
        c.node = node;
        c.connections++;
        String since = wire.replays() ? c.lastOffset : null;
        URI uri = URI.create("ws://127.0.0.1:" + nodes.get(node).port() + wire.target(c.room.name, c.nextName(),
                since));
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(10_000)
                .build();
        Bootstrap b = bootstrap.clone().remoteAddress("127.0.0.1", nodes.get(node).port())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                new WebSocketClientProtocolHandler(config), new Inbound(c));
                    }
                });
        ChannelFuture connecting = b.connect();
        c.channel = connecting.channel();
        // A connection that never opened gets no channelInactive: it is retried from here.
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                failedConnects++;
                closed(c, connecting.channel());
            }
        });
    }

    /** Reads one connection's text messages into its member; tells the fleet when the connection ends. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        private final ChatClient client;

        Inbound(ChatClient client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame frame) {
                framesReceived++;
                try {
                    if (client.channel == ctx.channel()) {
                        wire.received(client, frame.text());
                    }
                } finally {
                    frame.release();
                }
            } else {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed(client, ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void closed(ChatClient c, Channel channel) {
        if (c.channel != channel) {
            return;
        }
        c.channel = null;
        c.open = false;
        if (stopping) {
            return;
        }
        closes++;
        int delay = reconnectJitterMillis == 0 ? 0 : random.nextInt(reconnectJitterMillis);
        group.next().schedule(() -> {
            if (!stopping && c.channel == null) {
                connect(c, alive[c.node] ? c.node : otherLiveNode(c.node));
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private int otherLiveNode(int dead) {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < alive.length; i++) {
            if (alive[i] && i != dead) {
                live.add(i);
            }
        }
        return live.get(random.nextInt(live.size()));
    }

    /** @param node marked dead: members that lose it reconnect elsewhere */
    void markDead(int node) {
        alive[node] = false;
    }

    void joined(ChatClient c) {
        c.open = true;
        c.joinedNanos = System.nanoTime();
        c.mustHaveThrough = c.room.sent() - 1;
    }

    void delivered(ChatClient c, String id) {
        long now = System.nanoTime();
        int first = id.indexOf('.');
        int second = id.indexOf('.', first + 1);
        int message = Integer.parseInt(id, first + 1, second, 10);
        long intended = Long.parseLong(id, second + 1, id.length(), 10);
        deliveries++;
        if (c.received.get(message)) {
            duplicates++;
        } else {
            c.received.set(message);
        }
        if (recording) {
            long micros = Math.min(MAX_LATENCY_MICROS, Math.max(0, (now - intended) / 1000));
            everyDelivery.recordValue(micros);
            if (c.room.senderNode(message) != c.node) {
                crossNode.recordValue(micros);
            }
        }
    }

    private Room roomOf(String id) {
        int sender = Integer.parseInt(id, 0, id.indexOf('.'), 10);
        return clients.get(sender).room;
    }

    private static int messageOf(String id) {
        int first = id.indexOf('.');
        return Integer.parseInt(id, first + 1, id.indexOf('.', first + 1), 10);
    }

    void acked(String id) {
        if (id != null) {
            roomOf(id).acked.set(messageOf(id));
        }
    }

    void refused(String id) {
        if (id != null) {
            refusedMessages++;
            roomOf(id).refused.set(messageOf(id));
        }
    }

    void reset(ChatClient c) {
        resets++;
    }

    void problem(ChatClient c, String problem) {
        problems++;
        if (firstProblem == null) {
            firstProblem = "member " + c.index + ": " + problem;
        }
    }

    /**
     * Starts sending at a fixed rate: message k is meant to leave at start + k / rate, from a random member of room
     * k mod rooms; a late tick sends what is due at once, the latency still counted from the intended time.
     *
     * @param messagesPerSecond the rate
     */
    void startLoad(double messagesPerSecond) {
        stopLoad();
        loadStart = System.nanoTime();
        messagesPerNano = messagesPerSecond / 1e9;
        scheduled = 0;
        load = group.next().scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
    }

    void stopLoad() {
        if (load != null) {
            load.cancel(false);
            load = null;
        }
    }

    private void tick() {
        // Message k is due at start + k / rate: once that time has come, k + 1 messages are due.
        long due = (long) ((System.nanoTime() - loadStart) * messagesPerNano) + 1;
        for (int burst = 0; scheduled < due && burst < 5000; burst++) {
            long intended = loadStart + (long) (scheduled / messagesPerNano);
            Room room = rooms.get((int) (scheduled % rooms.size()));
            scheduled++;
            ChatClient sender = room.randomOpenMember(random);
            if (sender == null) {
                skipped++;
                continue;
            }
            int message = room.record(intended, sender.node);
            String id = sender.index + "." + message + "." + intended;
            sender.send(wire.messageFrame(id, TEXT, sender.nextAckNumber()));
            sent++;
        }
    }

    /** Starts recording latencies afresh. */
    void startRecording() {
        crossNode.reset();
        everyDelivery.reset();
        recording = true;
    }

    /** @return copies of the cross-node and every-delivery histograms; recording stops */
    Histogram[] stopRecording() {
        recording = false;
        return new Histogram[] {crossNode.copy(), everyDelivery.copy()};
    }

    /** @return the fleet's running totals */
    Counters counters() {
        return new Counters(deliveries, framesReceived, duplicates, closes, failedConnects, resets, refusedMessages,
                problems, sent, skipped, firstProblem);
    }

    /**
     * The fleet's running totals.
     *
     * @param deliveries messages received by members
     * @param frames text frames received, events such as joins and leaves included
     */
    record Counters(long deliveries, long frames, long duplicates, long closes, long failedConnects, long resets,
                    long refused, long problems, long sent, long skipped, String firstProblem) {
    }

    @Override
    public void close() {
        try {
            onLoop(() -> {
                stopping = true;
                stopLoad();
                for (ChatClient c : clients) {
                    if (c.channel != null) {
                        c.channel.close();
                    }
                }
            });
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
