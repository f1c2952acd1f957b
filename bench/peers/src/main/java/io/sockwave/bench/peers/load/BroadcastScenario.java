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
class BroadcastScenario extends ConnectionScenario {
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
    private boolean probing;
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
        openConnections(settings.broadcastConnections(), "/broadcast", 64);
        if (hasErrors()) {
            return;
        }
        Interval interval = measureBroadcast();
        if (interval == null) {
            return;
        }
        recordRate("deliveries_per_s", interval, interval.perSecond());
        metrics.put("broadcasts_per_s", interval.perSecond() / n);
        metrics.put(ScenarioResult.VERIFIED, (double) client.onLoop(() -> deliveries));
        metrics.put(ScenarioResult.SAMPLED, (double) client.onLoop(() -> sampled));
    }

    /**
     * Broadcasts from the first connection to every connection open now, all of them on {@code /broadcast}, for a
     * warm-up and a measured interval, then waits for the last message to reach everyone. The connections stay open.
     *
     * @return the measured interval, counting deliveries; null, with the error counted, if no probe reached all
     * @throws InterruptedException if interrupted
     */
    final Interval measureBroadcast() throws InterruptedException {
        int window = settings.broadcastWindow();
        byte[] frame = ClientFrames.masked(ClientFrames.TEXT, payload, 0x600DCAFE);
        client.onLoop(() -> {
            n = connections.size();
            arrivals = new int[2 * window];
            received = new long[n];
            deliveries = 0;
            sampled = 0;
            outstanding = 0;
            toSend = 0;
            probing = true;
            frameLength = frame.length;
            burst = ClientFrames.burst(frame, window);
        });
        try {
            if (!everyConnectionSubscribed()) {
                error("none of " + PROBES + " probe broadcasts reached all " + n + " connections within "
                        + PROBE_WAIT.toMillis() + " ms");
                return null;
            }
            client.onLoop(() -> send(window));
            Interval interval = measure(() -> deliveries);
            drain(() -> outstanding == 0);
            // The connections stay open for the caller: from here a connection the server closes is a failure again.
            client.onLoop(() -> stopping = false);
            return interval;
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
