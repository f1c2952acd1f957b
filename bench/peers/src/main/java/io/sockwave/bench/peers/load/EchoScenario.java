package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;

/**
 * Closed-loop echo: every connection keeps {@code window} messages in flight, sending one more for each echo it
 * receives, so the server is never idle and never flooded. Refills are written once per read batch, as one slice of
 * a buffer of pre-masked frames, and flushed once.
 */
final class EchoScenario extends ConnectionScenario {
    private final String id;
    private final int opcode;
    private final byte[] payload;
    private final int window;
    private ByteBuf burst;
    private int frameLength;
    private int[] toSend;
    private long inFlightTotal;
    private long echoes;
    private long sampled;

    /**
     * @param id the scenario's id
     * @param opcode {@link ClientFrames#TEXT} or {@link ClientFrames#BINARY}
     * @param payloadLength bytes per message
     * @param window messages in flight per connection
     */
    EchoScenario(LoadClient client, LoadSettings settings, long serverPid, String id, int opcode, int payloadLength,
            int window) {
        super(client, settings, serverPid);
        this.id = id;
        this.opcode = opcode;
        this.payload = opcode == ClientFrames.TEXT
                ? ClientFrames.textPayload(payloadLength, payloadLength)
                : ClientFrames.binaryPayload(payloadLength, payloadLength);
        this.window = window;
        expectEveryFrame(opcode, this.payload);
    }

    @Override
    String id() {
        return id;
    }


    @Override
    void execute() throws InterruptedException {
        byte[] frame = ClientFrames.masked(opcode, payload, 0x5A17C0DE);
        frameLength = frame.length;
        burst = ClientFrames.burst(frame, window);
        int n = settings.connections();
        toSend = new int[n];
        try {
            openConnections(n, "/echo", 64);
            if (hasErrors()) {
                return;
            }
            client.onLoop(() -> {
                for (WsConnection c : connections) {
                    toSend[c.id] = window;
                    readComplete(c);
                }
            });
            Interval interval = measure(() -> echoes);
            drain(() -> inFlightTotal == 0);
            recordRate("msgs_per_s", interval, interval.perSecond());
            recordRate("mb_per_s", interval, interval.perSecond() * payload.length / 1e6);
            metrics.put(ScenarioResult.VERIFIED, (double) client.onLoop(() -> echoes));
            metrics.put(ScenarioResult.SAMPLED, (double) client.onLoop(() -> sampled));
        } finally {
            client.onLoop(() -> burst.release());
        }
    }

    @Override
    public void echo(WsConnection c, boolean wasSampled) {
        echoes++;
        if (wasSampled) {
            sampled++;
        }
        inFlightTotal--;
        if (!stopping) {
            toSend[c.id]++;
        }
    }

    @Override
    public void readComplete(WsConnection c) {
        int k = toSend[c.id];
        if (k > 0) {
            toSend[c.id] = 0;
            inFlightTotal += k;
            c.channel().writeAndFlush(burst.retainedSlice(0, k * frameLength), c.channel().voidPromise());
        }
    }
}
