package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;

/**
 * Connection churn: {@code concurrency} loops each connect, upgrade (checking the Accept value), send a close frame
 * with 1000, check the server's close frame, and wait for the server to close TCP (RFC 6455 §7.1.1: the server
 * closes first), then start over. A cycle counts once the socket is closed after a verified closing handshake.
 */
final class HandshakeScenario extends ConnectionScenario {
    /** Distinct keys, so that no server can answer from a cache. */
    private static final int KEYS = 256;
    /** How long the server may take to close TCP after its close frame. */
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final String id;
    private final Upgrade[] upgrades = new Upgrade[KEYS];
    private ByteBuf closeFrame;
    /** Per slot: whether the current connection's server close frame arrived. */
    private boolean[] closeReceived;
    private long attempts;
    private long handshakes;

    HandshakeScenario(LoadClient client, LoadSettings settings, long serverPid) {
        this(client, settings, serverPid, Scenarios.HANDSHAKE);
    }

    /** @param id the scenario's id: a wss:// client makes it the TLS handshake scenario */
    HandshakeScenario(LoadClient client, LoadSettings settings, long serverPid, String id) {
        super(client, settings, serverPid);
        this.id = id;
    }

    @Override
    String id() {
        return id;
    }

    @Override
    void execute() throws InterruptedException {
        for (int i = 0; i < KEYS; i++) {
            upgrades[i] = Upgrade.prepare(client.host(), client.port(), "/echo", 1000 + i);
        }
        closeReceived = new boolean[settings.handshakeConcurrency()];
        closeFrame = ClientFrames.burst(ClientFrames.masked(ClientFrames.CLOSE, ClientFrames.closePayload(1000),
                0x0BADF00D), 1);
        try {
            client.onLoop(() -> {
                for (int slot = 0; slot < settings.handshakeConcurrency(); slot++) {
                    cycle(slot);
                }
            });
            Interval interval = measure(() -> handshakes);
            drain(connections::isEmpty);
            recordRate("handshakes_per_s", interval, interval.perSecond());
            metrics.put(ScenarioResult.VERIFIED, (double) client.onLoop(() -> handshakes));
        } finally {
            client.onLoop(() -> closeFrame.release());
        }
    }

    private void cycle(int slot) {
        if (stopping || hasErrors()) {
            return;
        }
        closeReceived[slot] = false;
        WsConnection c = new WsConnection(slot, upgrades[(int) (attempts++ % KEYS)], this);
        connections.add(c);
        c.attach(client.connect(c).addListener(f -> {
            if (!f.isSuccess()) {
                failed(c, "connect failed: " + f.cause());
            }
        }).channel());
    }

    @Override
    public void opened(WsConnection c) {
        c.channel().writeAndFlush(closeFrame.retainedDuplicate(), c.channel().voidPromise());
    }

    @Override
    public void echo(WsConnection c, boolean sampled) {
        c.problem("data frame received during a handshake cycle");
    }

    @Override
    public void control(WsConnection c, int opcode, byte[] payload, int length) {
        int code = length >= 2 ? (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF) : -1;
        if (opcode != ClientFrames.CLOSE || code != 1000) {
            c.problem("expected a close frame with 1000, got opcode " + opcode + " code " + code);
            return;
        }
        closeReceived[c.id] = true;
        c.channel().eventLoop().schedule(() -> {
            if (c.channel().isOpen()) {
                c.problem("server did not close TCP within " + CLOSE_WAIT_MILLIS + " ms of its close frame");
            }
        }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void closed(WsConnection c) {
        connections.remove(c);
        if (closeReceived[c.id]) {
            handshakes++;
        } else if (!stopping) {
            c.problem("connection closed before the closing handshake completed");
        }
        cycle(c.id);
    }

}
