package io.sockwave.bench.cluster;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.BitSet;

/**
 * One simulated chat member, across its successive connections: its room, the node it is on, the last offset it
 * received (to resume with) and which of its room's messages it received. Used on the generator's event loop only.
 */
final class ChatClient {
    final int index;
    final Room room;
    private final Fleet fleet;
    /** The room's messages this member received, by the generator's number of the message in its room. */
    final BitSet received = new BitSet();
    /** The node this member is connected or connecting to. */
    int node;
    /** The connection now in use, or null between connections. */
    Channel channel;
    /** Whether the member is in its room on {@link #channel}: welcomed, or connected to the namespace. */
    boolean open;
    /** The offset of the last room event received, or null before the first. */
    String lastOffset;
    /** Connections made so far, the first included. */
    int connections;
    /** When the member was last let into its room, from {@link System#nanoTime()}. */
    long joinedNanos;
    /** The room's last message number when the member was last let in: what it must have received at least. */
    int mustHaveThrough = -1;
    private int ackNumber;

    ChatClient(int index, Room room, Fleet fleet) {
        this.index = index;
        this.room = room;
        this.fleet = fleet;
    }

    /** @return the name for the next connection: names are unique in a room, and a dead node's stay a while */
    String nextName() {
        return connections <= 1 ? "c" + index : "c" + index + "r" + connections;
    }

    /** @return a number for the next acknowledged message */
    int nextAckNumber() {
        return ackNumber++;
    }

    /** @param text sent as one text frame */
    void send(String text) {
        if (channel != null) {
            channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
        }
    }

    void message(String id) {
        fleet.delivered(this, id);
    }

    void acked(String id) {
        fleet.acked(id);
    }

    void refused(String id) {
        fleet.refused(id);
    }

    void joined() {
        fleet.joined(this);
    }

    /** @param offset the offset of a room event received, or null */
    void logEvent(String offset) {
        if (offset != null) {
            lastOffset = offset;
        }
    }

    void reset() {
        fleet.reset(this);
    }

    /** @param problem what the server did that the generator did not expect; the connection is closed */
    void problem(String problem) {
        fleet.problem(this, problem);
        if (channel != null) {
            channel.close();
        }
    }
}
