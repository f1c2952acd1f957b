package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Waits on Redis for the nodes' beats, rather than for the time they are expected to take: a beat renews its node's
 * lease ({@code sw:node:ID:alive}), whose time to live only falls between two beats.
 */
final class Beats {
    private static final long POLL_MILLIS = 20;

    private Beats() {
    }

    /**
     * Waits until every node in {@code sw:nodes} now has beaten {@code times} times since the call. A node's calls
     * share one connection, in order: what a node sent before a beat has landed once the beat after it has.
     */
    static void awaitEveryNode(RedisCommands<String, String> keys, int times, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> nodes = keys.smembers("sw:nodes");
        if (nodes.isEmpty()) {
            fail("no node has beaten yet");
        }
        for (int round = 0; round < times; round++) {
            Map<String, Long> lowest = new HashMap<>();
            nodes.forEach(node -> lowest.put(node, lease(keys, node)));
            while (!lowest.isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    fail("nodes " + lowest.keySet() + " did not beat " + times + " times within " + timeout);
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
                lowest.entrySet().removeIf(entry -> {
                    long now = lease(keys, entry.getKey());
                    if (now > entry.getValue()) {
                        return true;
                    }
                    entry.setValue(now);
                    return false;
                });
            }
        }
    }

    /** Waits until a start of the node of this id holds a lease: its first beat has landed. */
    static void awaitFirst(RedisCommands<String, String> keys, String nodeId, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (keys.smembers("sw:nodes").stream().noneMatch(node -> node.startsWith(nodeId + "~")
                && lease(keys, node) > 0)) {
            if (System.nanoTime() - deadline > 0) {
                fail("node " + nodeId + " did not beat within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /** @return the milliseconds the node's lease has left; negative without one */
    private static long lease(RedisCommands<String, String> keys, String node) {
        return keys.pttl("sw:node:" + node + ":alive");
    }
}
