package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node finds Redis again within a second or two of its return, however long it was gone: what a failover needs,
 * since Sentinel promotes a replica only after its down-after-milliseconds (30 s by default). Lettuce's own reconnect
 * delay doubles up to 30 s, so after an outage of 10 s its next attempt would come about 6 s after Redis is back.
 */
class ReconnectAfterLongOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @Test
    void aPublishQueuedDuringALongOutageIsAcknowledgedWithinSecondsOfRedisReturning() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.AOF_ALWAYS);
             Cluster cluster = new Cluster(redis.uri(), 1)) {
            Transcript member = cluster.join(0, "outage", "m0", null);
            redis.crash();
            TimeUnit.MILLISECONDS.sleep(OUTAGE.toMillis());
            redis.restart();
            long back = System.nanoTime();
            member.membership().publish("after", "after the outage").get(10, TimeUnit.SECONDS);
            Duration late = Duration.ofNanos(System.nanoTime() - back);
            assertTrue(late.compareTo(Duration.ofSeconds(3)) < 0,
                    "acknowledged " + late.toMillis() + " ms after Redis was back");
        }
    }
}
