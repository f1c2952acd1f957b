package io.sockwave.cli.it.soak;

import io.sockwave.cli.it.SockwaveProcess;
import io.sockwave.cli.it.SockwaveProcess.Served;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The soak's {@code sockwave serve --redis} node processes, each in a slot that a killed or drained node's
 * successor takes over, on a new port. Clients ask it for a node believed up: a slot is down from the moment the
 * soak decides to stop its node until its successor listens.
 */
final class SoakNodes implements AutoCloseable {
    private static final Duration START_PATIENCE = Duration.ofSeconds(300);

    private final String redisUri;
    private final Served[] served;
    private final String[] ids;
    private final boolean[] up;

    SoakNodes(String redisUri, int count) {
        this.redisUri = redisUri;
        this.served = new Served[count];
        this.ids = new String[count];
        this.up = new boolean[count];
    }

    /** Starts the first nodes side by side, which saves the JVMs' start-up time. */
    void startAll(List<String> nodeIds) throws IOException {
        List<SockwaveProcess> started = new ArrayList<>();
        for (String id : nodeIds) {
            started.add(launch(id));
        }
        try {
            for (int slot = 0; slot < started.size(); slot++) {
                listening(slot, nodeIds.get(slot), started.get(slot));
            }
        } catch (AssertionError notListening) {
            started.forEach(SockwaveProcess::close);
            throw notListening;
        }
    }

    /** Starts a node in this slot, as {@code --node-id ID}, and waits until it listens. */
    void start(int slot, String nodeId) throws IOException {
        listening(slot, nodeId, launch(nodeId));
    }

    private SockwaveProcess launch(String nodeId) throws IOException {
        return SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port", "0", "--quiet", "--redis", redisUri,
                "--node-id", nodeId);
    }

    private void listening(int slot, String nodeId, SockwaveProcess process) {
        int port;
        try {
            port = process.awaitPort(START_PATIENCE);
        } catch (AssertionError slow) {
            String threads = threadDump(process);
            process.close();
            throw new AssertionError("node " + nodeId + " not listening after " + START_PATIENCE.toSeconds()
                    + " s; its threads: " + threads, slow);
        }
        synchronized (this) {
            served[slot] = new Served(process, port);
            ids[slot] = nodeId;
            up[slot] = true;
        }
    }

    /** @return what the JVM prints on SIGQUIT: where each of its threads is */
    private static String threadDump(SockwaveProcess process) {
        try {
            process.signal("QUIT");
            TimeUnit.SECONDS.sleep(3);
        } catch (IOException | InterruptedException e) {
            return "unavailable: " + e;
        }
        return String.join("\n", process.outLines());
    }

    /** SIGKILL: the node dies without a word; its clients see their connections drop. */
    void kill(int slot) throws IOException, InterruptedException {
        stop(slot, "KILL");
    }

    /** SIGTERM: the node drains (its chat clients closed with 1012 in batches) and exits. */
    void drain(int slot) throws IOException, InterruptedException {
        stop(slot, "TERM");
    }

    private void stop(int slot, String signal) throws IOException, InterruptedException {
        Served node;
        synchronized (this) {
            up[slot] = false;
            node = served[slot];
        }
        node.process().signal(signal);
        int status = node.process().awaitExit();
        if (signal.equals("TERM") && status != 0) {
            throw new AssertionError("a drained node exits 0, not " + status + ": " + node.process());
        }
    }

    /** @return a slot whose node is up, other than {@code avoid} when another is up; -1 when none is */
    synchronized int pick(int avoid, Random random) {
        List<Integer> candidates = new ArrayList<>();
        for (int slot = 0; slot < up.length; slot++) {
            if (up[slot] && slot != avoid) {
                candidates.add(slot);
            }
        }
        if (candidates.isEmpty() && avoid >= 0 && up[avoid]) {
            return avoid;
        }
        return candidates.isEmpty() ? -1 : candidates.get(random.nextInt(candidates.size()));
    }

    synchronized URI uri(int slot, String pathAndQuery) {
        return served[slot].uri("ws", pathAndQuery);
    }

    synchronized String id(int slot) {
        return ids[slot];
    }

    @Override
    public synchronized void close() {
        for (Served node : served) {
            if (node != null) {
                node.close();
            }
        }
    }
}
