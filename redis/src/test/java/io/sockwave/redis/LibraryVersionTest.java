package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.sockwave.testsupport.RedisServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The arguments of the library's functions change between versions: a node of one version calling the functions of
 * another would be misread silently. Nodes of two versions never run on one Redis together: a node refuses to start
 * while a node of another version is alive, and a node of another version cannot load its library beside this one.
 */
class LibraryVersionTest {
    /**
     * The SHA-256 of {@code rooms.lua} for each version: two builds whose libraries differ under one version would load
     * them over each other ({@code FUNCTION LOAD REPLACE}) unchecked, the one starting last running its code for
     * every node. A change of the library is a new version: its name, its {@code VERSION} and
     * {@link RedisRoomLog#LIBRARY_VERSION}, and its digest here.
     */
    private static final Map<String, String> DIGESTS = Map.of(
            "3", "b3146a336c9940f0b6a490b3bfa1a05aeb18bd6c1b7b06385cb184a437814a92",
            "4", "182a3240bace1f543824b49c90747da7f5008774c4000d836cdb1d190b032ac2",
            "5", "2e01e06e28c5c46c364546edcece236963bba6092ecebd2a191539c33182daa5",
            "6", "10b2d52d9826b51980ee51250d7c19c278d90367fc3518d87a42147e1faeef15",
            "7", "5944bfffe7394d372f64165691d5ccb4463663ee543404b2d054969b00cce3e3");

    /** A version-1 library as far as this check goes: its name, and a function of the same name as ours. */
    private static final String OLD_LIBRARY = "#!lua name=sockwave_rooms\n"
            + "redis.register_function('sw_join', function(keys, args) return 1 end)\n";

    private static List<Object> libraries(RedisCommands<String, String> keys) {
        return keys.functionList().stream().map(library -> library.get("library_name")).toList();
    }

    /** Leaves in Redis what a running version-1 node has there: its library, and the lease its beats renew. */
    private static void startVersionOneNode(RedisCommands<String, String> keys) {
        keys.functionLoad(OLD_LIBRARY);
        keys.sadd("sw:nodes", "old~1");
        keys.psetex("sw:node:old~1:alive", 10_000, "1");
    }

    /** A node of this version does not start beside it, and leaves the old node's library alone. */
    private static void assertRefusedBesideIt(String uri, RedisCommands<String, String> keys) {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RedisRoomLog.connect(uri).close());
        assertTrue(refused.getMessage().contains("version 1"), refused.getMessage());
        assertEquals(List.of("sockwave_rooms"), libraries(keys), "the old node's library left alone");
    }

    @Test
    void aNodeRefusesToStartWhileANodeOfAnotherVersionIsAliveAndReplacesItsLibraryOnceItIsGone() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            RedisCommands<String, String> keys = connection.sync();
            startVersionOneNode(keys);
            assertRefusedBesideIt(redis.uri(), keys);

            keys.del("sw:node:old~1:alive"); // its lease ran out
            try (RedisRoomLog log = RedisRoomLog.connect(redis.uri())) {
                assertEquals(List.of("sockwave_rooms_" + RedisRoomLog.LIBRARY_VERSION), libraries(keys));
                log.start("new", NoSignals.INSTANCE);
                log.heartbeat().get(5, TimeUnit.SECONDS);
                String node = keys.smembers("sw:nodes").stream().filter(n -> n.startsWith("new~")).findFirst()
                        .orElseThrow();
                assertEquals(RedisRoomLog.LIBRARY_VERSION, keys.get("sw:node:" + node + ":alive"),
                        "the lease tells the node's version");
                RedisCommandExecutionException clash = assertThrows(RedisCommandExecutionException.class,
                        () -> keys.functionLoad(OLD_LIBRARY, true), "an old node loaded its library beside ours");
                assertTrue(clash.getMessage().contains("already exists"), clash.getMessage());
            }
        }
    }

    /**
     * Two nodes of the new version start together on a Redis that has the old library: both list it, both delete
     * it, and the second delete finds nothing. Redis pauses writes meanwhile, so that both deletes wait behind it
     * and run one after the other. Both nodes start.
     */
    @Test
    void twoNodesStartingTogetherBothReplaceTheOldLibrary() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            RedisCommands<String, String> keys = connection.sync();
            keys.functionLoad(OLD_LIBRARY);
            keys.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(3_000).add("WRITE"));
            String uri = redis.uri();
            CompletableFuture<RedisRoomLog> first = CompletableFuture.supplyAsync(() -> RedisRoomLog.connect(uri));
            CompletableFuture<RedisRoomLog> second = CompletableFuture.supplyAsync(() -> RedisRoomLog.connect(uri));
            try (RedisRoomLog one = first.get(20, TimeUnit.SECONDS);
                 RedisRoomLog other = second.get(20, TimeUnit.SECONDS)) {
                assertEquals(List.of("sockwave_rooms_" + RedisRoomLog.LIBRARY_VERSION), libraries(keys));
            } finally {
                for (CompletableFuture<RedisRoomLog> started : List.of(first, second)) {
                    started.thenAccept(RedisRoomLog::close);
                }
            }
        }
    }

    @Test
    void theLibraryIsTheTextOfItsVersion() throws Exception {
        String text;
        try (InputStream in = RedisRoomLog.class.getResourceAsStream("rooms.lua")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(text.startsWith("#!lua name=sockwave_rooms_" + RedisRoomLog.LIBRARY_VERSION + "\n"), "its name");
        assertTrue(text.contains("local VERSION = '" + RedisRoomLog.LIBRARY_VERSION + "'\n"), "its VERSION");
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(DIGESTS.get(RedisRoomLog.LIBRARY_VERSION), digest,
                "rooms.lua changed under version " + RedisRoomLog.LIBRARY_VERSION + ": make it a new version");
    }

    /**
     * A node of the old version that was only late (its lease ran out, the new library replaced its own meanwhile)
     * calls the new functions with its own arguments: refused, before anything is written, rather than misread. Here
     * beats of versions 1 and 2, which would otherwise renew a lease saying the new version.
     */
    @Test
    void aCallOfANodeOfAnotherVersionIsRefusedAndWritesNothing() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect();
             RedisRoomLog log = RedisRoomLog.connect(redis.uri())) {
            log.start("new", NoSignals.INSTANCE);
            log.heartbeat().get(5, TimeUnit.SECONDS);
            RedisCommands<String, String> keys = connection.sync();
            // version 1's beat (node, lease, beat id), and version 2's (and era candidate, known era, known clock)
            for (String[] beat : List.of(new String[] {"old~1", "10000", "7"},
                    new String[] {"old~1", "10000", "7", "e1", "", "0"})) {
                RedisCommandExecutionException refused = assertThrows(RedisCommandExecutionException.class,
                        () -> keys.fcall("sw_beat", ScriptOutputType.MULTI, new String[0], beat));
                assertTrue(refused.getMessage().contains("another version"), refused.getMessage());
                assertEquals(null, keys.get("sw:node:old~1:alive"), "the old node's lease was renewed");
                assertEquals(false, keys.sismember("sw:nodes", "old~1"), "the old node was registered");
            }
        }
    }

    /**
     * Redis's functions are the server's, its keys a database's: a node of another version alive in another
     * database of the same Redis uses the library this node would delete. It refuses to start there too.
     */
    @Test
    void aNodeRefusesToStartWhileANodeOfAnotherVersionIsAliveInAnotherDatabase() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri() + "/1");
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            RedisCommands<String, String> keys = connection.sync();
            startVersionOneNode(keys);
            assertRefusedBesideIt(redis.uri() + "/2", keys);
        }
    }
}
