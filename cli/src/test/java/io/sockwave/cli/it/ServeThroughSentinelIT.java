package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.cli.it.SockwaveProcess.Served;
import io.sockwave.testsupport.RedisSentinel;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sockwave serve --redis redis-sentinel://...} on a real primary, replica and Sentinel: the node finds the
 * primary through Sentinel; with {@code --redis-wait-replicas}, it acknowledges only what a replica has.
 */
class ServeThroughSentinelIT {
    @Test
    void aSentinelUriFindsThePrimaryAndMessagesAreAcknowledgedOnceAReplicaHasThem() throws Exception {
        try (RedisServer primary = RedisServer.start(RedisServer.Persistence.NONE);
             RedisServer replica = RedisServer.startReplica(RedisServer.Persistence.NONE, primary.port());
             RedisSentinel sentinel = RedisSentinel.start("chat", primary.port(), Duration.ofSeconds(5));
             Served node = SockwaveProcess.serve("--quiet", "--redis", sentinel.uri(), "--redis-wait-replicas", "1");
             ChatProbe client = ChatProbe.connect(node.uri("ws", "/chat/sentinel?name=a"))) {
            assertEquals("a", client.next().get("you"), "welcomed once its join is acknowledged");
            client.say("m1", "through the sentinel");
            Map<String, Object> ack = client.ack();
            assertEquals("m1", ack.get("id"), ack.toString());
            assertEquals("through the sentinel", client.skipTo(e -> "message".equals(e.get("type"))).get("text"));
        }
    }

    @Test
    void withoutTheReplicasItWaitsForAJoinIsRefusedForNow() throws Exception {
        try (RedisServer alone = RedisServer.start(RedisServer.Persistence.NONE);
             Served node = SockwaveProcess.serve("--quiet", "--redis", alone.uri(), "--redis-wait-replicas", "1")) {
            // the server closes it: the refused join's close is the whole conversation
            ChatProbe.connect(node.uri("ws", "/chat/alone?name=a")).probe().assertClosedWith(1013);
        }
    }
}
