package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One load-generator connection: sends its prepared upgrade request, checks the server's answer, then hands every
 * frame the server sends to its {@link FrameReader} and the scenario's {@link Events}. All methods run on the
 * connection's event loop.
 */
final class WsConnection extends ChannelInboundHandlerAdapter implements FrameWalker.Sink {
    /** What a scenario hears from its connections, always on the event loop. */
    interface Events {
        /** @param c the connection whose upgrade was accepted */
        void opened(WsConnection c);

        /**
         * @param c the connection
         * @param sampled whether the echo's payload was compared
         */
        void echo(WsConnection c, boolean sampled);

        /**
         * @param c the connection
         * @param opcode the control frame's opcode
         * @param payload its payload, valid until this returns
         * @param length its payload length
         */
        default void control(WsConnection c, int opcode, byte[] payload, int length) {
            c.problem("unexpected control frame, opcode " + opcode);
        }

        /** @param c the connection that finished reading one batch of bytes from its socket */
        default void readComplete(WsConnection c) {
        }

        /** @param c the connection whose socket closed */
        void closed(WsConnection c);

        /**
         * @param c the connection
         * @param problem what the server did wrong, or what failed
         */
        void failed(WsConnection c, String problem);
    }

    /** The scenario's index of this connection. */
    final int id;
    private final Upgrade upgrade;
    private final Events events;
    private final FrameReader reader = new FrameReader(this);
    /** Reads the server's frames once upgraded: the {@link FrameReader} unless a scenario sets another. */
    private Consumer<ByteBuf> frames = reader::feed;
    private ByteBuf responseHead;
    private boolean open;
    private boolean failed;
    private Channel channel;

    WsConnection(int id, Upgrade upgrade, Events events) {
        this.id = id;
        this.upgrade = upgrade;
        this.events = events;
    }

    /** @return the frame reader, to set what the server's data frames must be */
    FrameReader reader() {
        return reader;
    }

    /**
     * @param frames reads the server's frames in place of the {@link FrameReader}, reporting to this connection as
     *     its {@link FrameWalker.Sink}; set before connecting
     */
    void readFramesWith(Consumer<ByteBuf> frames) {
        this.frames = frames;
    }

    /** @param channel the channel this handler was connected with */
    void attach(Channel channel) {
        this.channel = channel;
    }

    /** @return the connection's channel */
    Channel channel() {
        return channel;
    }

    /** @return whether the server accepted the upgrade */
    boolean isUpgraded() {
        return open;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(upgrade.request(), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (!open && !readResponseHead(in)) {
                return;
            }
            frames.accept(in);
        } finally {
            in.release();
        }
    }

    /** @return whether the head is complete and accepted; any bytes after it are left in {@code in} */
    private boolean readResponseHead(ByteBuf in) {
        if (responseHead == null) {
            responseHead = Unpooled.buffer(256);
        }
        while (in.isReadable()) {
            responseHead.writeByte(in.readByte());
            int n = responseHead.writerIndex();
            if (n >= 4 && responseHead.getInt(n - 4) == 0x0D0A0D0A) {
                String head = responseHead.toString(0, n - 4, StandardCharsets.US_ASCII);
                responseHead.release();
                responseHead = null;
                String problem = upgrade.verify(head);
                if (problem != null) {
                    problem(problem);
                    return false;
                }
                open = true;
                events.opened(this);
                return true;
            }
            if (n >= Upgrade.MAX_RESPONSE_HEAD) {
                problem("response head longer than " + Upgrade.MAX_RESPONSE_HEAD + " bytes");
                return false;
            }
        }
        return false;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (open) {
            events.readComplete(this);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (responseHead != null) {
            responseHead.release();
            responseHead = null;
        }
        events.closed(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        problem(cause.toString());
    }

    @Override
    public void onEcho(boolean sampled) {
        events.echo(this, sampled);
    }

    @Override
    public void onControl(int opcode, byte[] payload, int length) {
        events.control(this, opcode, payload, length);
    }

    @Override
    public void onMismatch(String problem) {
        problem(problem);
    }

    /**
     * Reports a failure once and closes the connection.
     *
     * @param problem what went wrong
     */
    void problem(String problem) {
        if (!failed) {
            failed = true;
            events.failed(this, problem);
        }
        if (channel != null) {
            channel.close();
        }
    }
}
