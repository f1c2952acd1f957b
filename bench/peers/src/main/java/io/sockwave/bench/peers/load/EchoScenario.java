package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;

/**
 * Closed-loop echo ({@link EchoWindow}). Refills are written once per read batch, as one slice of a buffer of
 * pre-masked frames, and flushed once.
 */
final class EchoScenario extends ConnectionScenario {
    private final String id;
    private final int opcode;
    private final byte[] payload;
    private final int window;
    private final EchoWindow echoWindow;
    private ByteBuf burst;
    private int frameLength;
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
        this.echoWindow = new EchoWindow(window);
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
        try {
            Interval interval = closedLoop(echoWindow);
            if (interval == null) {
                return;
            }
            recordRate("msgs_per_s", interval, interval.perSecond());
            recordRate("mb_per_s", interval, interval.perSecond() * payload.length / 1e6);
            metrics.put(ScenarioResult.VERIFIED, (double) client.onLoop(echoWindow::echoes));
            metrics.put(ScenarioResult.SAMPLED, (double) client.onLoop(() -> sampled));
        } finally {
            client.onLoop(() -> burst.release());
        }
    }

    @Override
    public void echo(WsConnection c, boolean wasSampled) {
        if (wasSampled) {
            sampled++;
        }
        echoWindow.echoed(c, stopping);
    }

    @Override
    public void readComplete(WsConnection c) {
        int k = echoWindow.take(c);
        if (k > 0) {
            c.channel().writeAndFlush(burst.retainedSlice(0, k * frameLength), c.channel().voidPromise());
        }
    }
}
