package io.sockwave.bench.peers.load;

/**
 * Closed-loop echo of a compressed chat stream: every connection keeps {@code window} messages in flight, sending
 * the next ones of the cycle as echoes come back, each echo inflated and compared with the message sent. The
 * generator compresses nothing while measuring (see {@link DeflateFrames}); it inflates every echo, which costs it
 * less than deflating costs the server.
 */
final class DeflateEchoScenario extends DeflateScenario {
    private final String id;
    private final int window;
    private int[] toSend;
    private int[] next;
    private long inFlightTotal;
    private long echoes;

    /**
     * @param id the scenario's id
     * @param offer with or without context takeover
     * @param window messages in flight per connection, at most {@link DeflateScenario#CHAT_LINES}
     */
    DeflateEchoScenario(LoadClient client, LoadSettings settings, long serverPid, String id, DeflateOffer offer,
            int window) {
        super(client, settings, serverPid, offer);
        this.id = id;
        this.window = window;
    }

    @Override
    String id() {
        return id;
    }

    @Override
    void exercise() throws InterruptedException {
        int n = settings.connections();
        toSend = new int[n];
        next = new int[n];
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
        recordStream();
        long verified = client.onLoop(() -> echoes);
        metrics.put(ScenarioResult.VERIFIED, (double) verified);
        metrics.put(ScenarioResult.SAMPLED, (double) verified);
    }

    @Override
    public void echo(WsConnection c, boolean sampled) {
        echoes++;
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
            next[c.id] = send(c, next[c.id], k);
        }
    }
}
