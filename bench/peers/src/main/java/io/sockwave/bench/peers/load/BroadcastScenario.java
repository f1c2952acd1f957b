package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import java.time.Duration;

/**
 * Fan-out: {@code broadcastConnections} connections on {@code /broadcast}; the first sends a 64-byte text message,
 * which the server sends to every connection, the sender included. The sender keeps {@code broadcastWindow}
 * messages in flight: a message is done once every connection has received it, and each done message lets one more
 * go. Every connection checks every delivery's length and opcode, and samples payloads.
 */
final class BroadcastScenario extends ConnectionScenario {
    private final byte[] payload = ClientFrames.textPayload(64, 64);
    private ByteBuf burst;
    private int frameLength;
    private int n;
    private int[] arrivals;
    private long[] received;
    private long deliveries;
    private long sampled;
    private long completed;
    private int outstanding;
    private int toSend;

    BroadcastScenario(LoadClient client, LoadSettings settings, long serverPid) {
        super(client, settings, serverPid);
        expectEveryFrame(ClientFrames.TEXT, payload);
    }

    @Override
    String id() {
        return "broadcast";
    }


    @Override
    void execute() throws InterruptedException {
        n = settings.broadcastConnections();
        int window = settings.broadcastWindow();
        arrivals = new int[2 * window];
        received = new long[n];
        byte[] frame = ClientFrames.masked(ClientFrames.TEXT, payload, 0x600DCAFE);
        frameLength = frame.length;
        burst = ClientFrames.burst(frame, window);
        try {
            openConnections(n, "/broadcast", 64);
            if (hasErrors()) {
                return;
            }
            // A first message, awaited alone, proves every connection is subscribed before the clock starts.
            client.onLoop(() -> send(1));
            if (!await(() -> client.onLoop(() -> completed == 1), Duration.ofSeconds(5))) {
                error("the first broadcast did not reach all " + n + " connections within 5 s");
                return;
            }
            client.onLoop(() -> send(window));
            Interval interval = measure(() -> deliveries);
            drain(() -> outstanding == 0);
            recordRate("deliveries_per_s", interval, interval.perSecond());
            metrics.put("broadcasts_per_s", interval.perSecond() / n);
            metrics.put(ScenarioResult.VERIFIED, (double) client.onLoop(() -> deliveries));
            metrics.put(ScenarioResult.SAMPLED, (double) client.onLoop(() -> sampled));
        } finally {
            client.onLoop(() -> burst.release());
        }
    }

    private void send(int count) {
        WsConnection sender = connections.get(0);
        outstanding += count;
        sender.channel().writeAndFlush(burst.retainedSlice(0, count * frameLength), sender.channel().voidPromise());
    }

    @Override
    public void echo(WsConnection c, boolean wasSampled) {
        deliveries++;
        if (wasSampled) {
            sampled++;
        }
        // Every connection receives the messages in the order sent, so its k-th delivery is message k.
        int slot = (int) (received[c.id]++ % arrivals.length);
        if (++arrivals[slot] == n) {
            arrivals[slot] = 0;
            outstanding--;
            completed++;
            if (!stopping && completed > 1) {
                toSend++;
            }
        }
    }

    @Override
    public void readComplete(WsConnection c) {
        if (toSend > 0) {
            int k = toSend;
            toSend = 0;
            send(k);
        }
    }
}
