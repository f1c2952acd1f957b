package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the compression scenarios share: every connection offers permessage-deflate (one of the {@link DeflateOffer}s)
 * and must have it accepted as offered, sends the cycle of {@link DeflateFrames} from its start, and inflates and
 * compares every echo with its own {@link InflatingReader}, whose native memory is freed when the connection closes.
 */
abstract class DeflateScenario extends ConnectionScenario {
    /** Messages in the chat stream's cycle: some 48 KB of JSON, more than deflate's 32 KiB window. */
    static final int CHAT_LINES = 256;
    private static final int MASK_KEY = 0x3C5A_9E71;

    final DeflateOffer offer;
    final DeflateFrames frames;
    /** The frames of {@link #frames}, twice over; released by {@link #execute} once the connections are closed. */
    ByteBuf cycle;
    private final Map<Integer, InflatingReader> readers = new HashMap<>();

    DeflateScenario(LoadClient client, LoadSettings settings, long serverPid, DeflateOffer offer) {
        super(client, settings, serverPid);
        this.offer = offer;
        List<byte[]> lines = ChatLines.generate(CHAT_LINES, 20);
        this.frames = DeflateFrames.prepare(lines, !offer.noContextTakeover(), MASK_KEY);
    }

    /**
     * Runs {@link #exercise} with the cycle's buffer, then releases it.
     *
     * @throws InterruptedException if interrupted
     */
    @Override
    final void execute() throws InterruptedException {
        cycle = client.onLoop(frames::newBuffer);
        try {
            exercise();
        } finally {
            closeAll();
            client.onLoop(() -> cycle.release());
        }
    }

    /**
     * The scenario proper; connections still open at its end are closed for it.
     *
     * @throws InterruptedException if interrupted
     */
    abstract void exercise() throws InterruptedException;

    @Override
    Upgrade prepareUpgrade(String path, int id) {
        return Upgrade.prepare(client.host(), client.port(), path, id + 1, offer);
    }

    @Override
    WsConnection newConnection(int id, Upgrade upgrade) {
        WsConnection c = super.newConnection(id, upgrade);
        InflatingReader reader = new InflatingReader(c, frames.lines());
        c.readFramesWith(reader);
        readers.put(id, reader);
        return c;
    }

    @Override
    public void closed(WsConnection c) {
        super.closed(c);
        InflatingReader reader = readers.remove(c.id);
        if (reader != null) {
            reader.end();
        }
    }

    /**
     * Sends the next {@code count} messages of the cycle on a connection.
     *
     * @param c the connection
     * @param from the first message's place in the cycle
     * @param count how many, at most the cycle's size
     * @return the place in the cycle of the message after them
     */
    final int send(WsConnection c, int from, int count) {
        c.channel().writeAndFlush(frames.slice(cycle, from, count), c.channel().voidPromise());
        return (from + count) % frames.size();
    }

    /** Records the stream's sizes, so that the report tells what was compressed. */
    final void recordStream() {
        metrics.put("mean_message_bytes", frames.meanLength());
        metrics.put("mean_compressed_bytes", frames.meanCompressedLength());
    }
}
