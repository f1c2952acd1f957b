package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.Arrays;

/**
 * Fan-out: {@code broadcastConnections} connections on {@code /broadcast}; the first sends a 64-byte text message,
 * which the server sends to every connection, the sender included. The sender keeps {@code broadcastWindow}
 * messages in flight: a message is done once every connection has received it, and each done message lets one more
 * go. Every connection checks every delivery's length and opcode, and samples payloads.
 */
final class BroadcastScenario extends ConnectionScenario {
    /** How many probe broadcasts may miss a connection before the server counts as broken. */
    private static final int PROBES = 10;
    private static final Duration PROBE_WAIT = Duration.ofMillis(500);

    private final byte[] payload = ClientFrames.textPayload(64, 64);
    private ByteBuf burst;
    private int frameLength;
    private int n;
    private int[] arrivals;
    private long[] received;
    private long deliveries;
    private long sampled;
    private int outstanding;
    private int toSend;
    /** True while probes run: deliveries then only count towards {@link #probeArrivals}. */
    private boolean probing = true;
    private int probeArrivals;

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
            if (!everyConnectionSubscribed()) {
                error("none of " + PROBES + " probe broadcasts reached all " + n + " connections within "
                        + PROBE_WAIT.toMillis() + " ms");
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

    /**
     * Sends one probe at a time until one reaches every connection, before the clock starts. A server may answer
     * the upgrade before it adds the session to its subscribers (Jetty's {@code onWebSocketOpen} runs after the
     * 101 is written), so a broadcast right after the last upgrade can miss a connection for good.
     */
    private boolean everyConnectionSubscribed() throws InterruptedException {
        for (int probe = 0; probe < PROBES; probe++) {
            client.onLoop(() -> {
                probeArrivals = 0;
                write(1);
            });
            if (await(() -> client.onLoop(() -> probeArrivals >= n), PROBE_WAIT)) {
                // From here each connection's k-th delivery is message k of the measured flow.
                client.onLoop(() -> {
                    probing = false;
                    Arrays.fill(received, 0);
                });
                return true;
            }
        }
        return false;
    }

    private void send(int count) {
        outstanding += count;
        write(count);
    }

    private void write(int count) {
        WsConnection sender = connections.get(0);
        sender.channel().writeAndFlush(burst.retainedSlice(0, count * frameLength), sender.channel().voidPromise());
    }

    @Override
    public void echo(WsConnection c, boolean wasSampled) {
        deliveries++;
        if (wasSampled) {
            sampled++;
        }
        if (probing) {
            probeArrivals++;
            return;
        }
        // Every connection receives the messages in the order sent, so its k-th delivery is message k.
        int slot = (int) (received[c.id]++ % arrivals.length);
        if (++arrivals[slot] == n) {
            arrivals[slot] = 0;
            outstanding--;
            if (!stopping) {
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
