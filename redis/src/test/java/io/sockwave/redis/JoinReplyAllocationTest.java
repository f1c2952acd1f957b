package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.codec.StringCodec;
import io.sockwave.room.RoomLog;
import io.sockwave.testsupport.AllocatedBytes;
import io.sockwave.testsupport.RedisServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A join's reply lists the names present, so in a room of hundreds decoding it is most of what a join costs the node
 * in garbage, and garbage is what fills the young generation and touches fresh heap pages as members come (the
 * cluster benchmark's resident memory per member). Counted in bytes by the JVM over all its threads (a count, not a
 * timing), while the test is the only client of the log.
 */
class JoinReplyAllocationTest {
    private static final int WARM_MEMBERS = 300;
    private static final int MEASURED_JOINS = 100;
    /**
     * Per name of the reply: its copy and its String (about 90 bytes for "member-123"), the lists Lettuce reads the
     * reply into and the log sorts the names in, and the join's own costs spread over the names: 133 bytes measured.
     * 253 while Lettuce's codec wrapped each name in a Netty buffer and a slice of the read buffer to decode it.
     */
    private static final long PER_NAME_BUDGET = 176;

    @Test
    void aJoinsReplyIsDecodedWithinItsAllocationBudget() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog log = RedisRoomLog.connect(redis.uri())) {
            log.start("allocation", NoSignals.INSTANCE);
            for (int i = 0; i < WARM_MEMBERS; i++) {
                log.join("busy", "member-" + i).get(10, TimeUnit.SECONDS);
            }
            long before = AllocatedBytes.byAllThreads();
            long names = 0;
            for (int i = WARM_MEMBERS; i < WARM_MEMBERS + MEASURED_JOINS; i++) {
                RoomLog.Joined joined = log.join("busy", "member-" + i).get(10, TimeUnit.SECONDS);
                assertEquals(i + 1, joined.present().size());
                names += joined.present().size();
            }
            long perName = (AllocatedBytes.byAllThreads() - before) / names;
            assertTrue(perName <= PER_NAME_BUDGET, perName + " bytes allocated per name present in a join's reply ("
                    + names + " names in " + MEASURED_JOINS + " joins); budget " + PER_NAME_BUDGET);
        }
    }

    /** The codec reads as Lettuce's does, from a direct buffer (as Lettuce hands it) or a heap one, and moves neither. */
    @Test
    void theCodecDecodesUtf8AsLettucesDoesAndLeavesTheBufferAsItWas() {
        String text = "ann é\nb \u20ac \ud83d\ude00";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length + 4).put(new byte[] {'x', 'y'}).put(utf8)
                .put(new byte[] {'z', 'z'});
        direct.position(2).limit(2 + utf8.length);
        ByteBuffer heap = ByteBuffer.wrap(("xy" + text + "zz").getBytes(StandardCharsets.UTF_8), 2, utf8.length)
                .slice();
        for (ByteBuffer bytes : new ByteBuffer[] {direct, heap}) {
            int position = bytes.position();
            assertEquals(text, Utf8Codec.INSTANCE.decodeValue(bytes));
            assertEquals(text, Utf8Codec.INSTANCE.decodeKey(bytes));
            assertEquals(position, bytes.position());
            assertEquals(StringCodec.UTF8.decodeValue(bytes), Utf8Codec.INSTANCE.decodeValue(bytes));
        }
        // a malformed sequence is replaced, as Lettuce's codec replaces it
        ByteBuffer malformed = ByteBuffer.wrap(new byte[] {'a', (byte) 0xC3, 'b', (byte) 0xFF});
        assertEquals(StringCodec.UTF8.decodeValue(malformed.duplicate()), Utf8Codec.INSTANCE.decodeValue(malformed));
    }
}
