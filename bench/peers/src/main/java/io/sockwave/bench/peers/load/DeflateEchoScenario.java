package io.sockwave.bench.peers.load;

/**
 * Closed-loop echo ({@link EchoWindow}) of a compressed chat stream: each connection sends the next messages of the
 * cycle as echoes come back, each echo inflated and compared with the message sent. The
 * generator compresses nothing while measuring (see {@link DeflateFrames}); it inflates every echo, which costs it
 * less than deflating costs the server.
 */
final class DeflateEchoScenario extends DeflateScenario {
    private final String id;
    private final EchoWindow echoWindow;
    private int[] next;

    /**
     * @param id the scenario's id
     * @param offer with or without context takeover
     * @param window messages in flight per connection, at most {@link DeflateScenario#CHAT_LINES}
     */
    DeflateEchoScenario(LoadClient client, LoadSettings settings, long serverPid, String id, DeflateOffer offer,
            int window) {
        super(client, settings, serverPid, offer);
        this.id = id;
        this.echoWindow = new EchoWindow(window);
    }

    @Override
    String id() {
        return id;
    }

    @Override
    void exercise() throws InterruptedException {
        next = new int[settings.connections()];
        Interval interval = closedLoop(echoWindow);
        if (interval == null) {
            return;
        }
        recordRate("msgs_per_s", interval, interval.perSecond());
        recordStream();
        long verified = client.onLoop(echoWindow::echoes);
        metrics.put(ScenarioResult.VERIFIED, (double) verified);
        metrics.put(ScenarioResult.SAMPLED, (double) verified);
    }

    @Override
    public void echo(WsConnection c, boolean sampled) {
        echoWindow.echoed(c, stopping);
    }

    @Override
    public void readComplete(WsConnection c) {
        int k = echoWindow.take(c);
        if (k > 0) {
            next[c.id] = send(c, next[c.id], k);
        }
    }
}
