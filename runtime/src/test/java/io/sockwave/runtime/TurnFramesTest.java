package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.PreparedMessage;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.protocol.FrameEncoder;
import io.sockwave.protocol.Opcode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The frames of a turn's broadcasts are copied once into the loop's {@link TurnFrames} and written from there to
 * each plain subscriber whose queue holds nothing else: no subscriber takes an outbound queue for them, and none
 * gets a copy of its own.
 */
@Timeout(30)
class TurnFramesTest {
    private static ByteBuffer frame(String text) {
        return FrameEncoder.encode(true, 0, Opcode.TEXT, ByteBuffer.wrap(text.getBytes()), false, 0)
                .asReadOnlyBuffer();
    }

    @Test
    void aFrameIsCopiedOnceForAllItsSubscribersAndTheNextFollowsIt() {
        TurnFrames turn = new TurnFrames();
        ByteBuffer first = frame("first");
        ByteBuffer second = frame("x".repeat(300));
        assertEquals(0, turn.append(first));
        assertEquals(0, turn.append(first), "the same frame again: no second copy");
        assertEquals(first.remaining(), turn.append(second));
        assertEquals(first.remaining() + second.remaining(), turn.size());
        assertEquals(first.remaining(), turn.frameLength(0));
        assertEquals(second.remaining(), turn.frameLength(first.remaining()), "a 16-bit length (RFC 6455 §5.2)");
    }

    @Test
    void aRangeHandedToAWriteLeavesTheNextAppendsAlone() {
        TurnFrames turn = new TurnFrames();
        ByteBuffer first = frame("first");
        turn.append(first);
        turn.hold();
        ByteBuffer range = turn.range(0, first.remaining());
        assertEquals(first, range);
        range.position(range.limit());
        ByteBuffer second = frame("second");
        assertEquals(first.remaining(), turn.append(second));
        ByteBuffer copy = ByteBuffer.allocate(second.remaining());
        turn.copy(first.remaining(), copy);
        assertEquals(second, copy);
    }

    @Test
    void theBufferStartsOverOnceNoRangeIsHeld() {
        TurnFrames turn = new TurnFrames();
        ByteBuffer first = frame("first");
        turn.append(first);
        turn.hold();
        turn.hold();
        turn.release();
        assertEquals(first.remaining(), turn.size(), "a range is still held");
        turn.release();
        assertEquals(0, turn.size());
        assertEquals(0, turn.append(first), "the frame appended last is forgotten too");
    }

    @Test
    void framesTooLargeOrPastTheCapacityAreLeftToTheQueue() {
        TurnFrames turn = new TurnFrames();
        assertEquals(-1, turn.append(frame("x".repeat(TurnFrames.MAX_FRAME))));
        ByteBuffer large = frame("x".repeat(TurnFrames.MAX_FRAME - 4));
        int appended = 0;
        while (turn.append(large.duplicate()) >= 0) {
            appended++;
        }
        assertEquals(TurnFrames.CAPACITY / large.remaining(), appended);
    }

    @Test
    void aTurnOfBroadcastsTakesNoQueueAndOneCopyPerFrame() throws Exception {
        int subscribers = 20;
        int messages = 8;
        Set<Session> room = ConcurrentHashMap.newKeySet();
        CompletableFuture<String> onLoop = new CompletableFuture<>();
        Listener roomListener = new Listener() {
            @Override
            public void onOpen(Session session) {
                room.add(session);
            }

            @Override
            public void onText(Session session, String text) {
                long frames = 0;
                for (int i = 0; i < messages; i++) {
                    PreparedMessage message = PreparedMessage.text("message " + i);
                    frames += message.size() + 2;
                    assertEquals(subscribers, Server.broadcast(room, message).queued());
                }
                String problem = null;
                for (Session subscriber : room) {
                    ChannelDriver driver = ((WebSocketSession) subscriber).driver;
                    if (driver.queue() != null) {
                        problem = "a subscriber took an outbound queue";
                    } else if (driver.queuedBytes() != frames) {
                        problem = "a subscriber holds " + driver.queuedBytes() + " bytes, not " + frames;
                    } else if (driver.loop.turnFrames.size() != frames) {
                        problem = "the turn's frames take " + driver.loop.turnFrames.size() + " bytes, not " + frames;
                    }
                }
                onLoop.complete(problem == null ? "ok" : problem);
            }
        };
        List<BlockingQueue<String>> received = new ArrayList<>();
        List<Session> clients = new ArrayList<>();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/room", roomListener)
                .build().start()) {
            Client client = Client.create();
            try {
                URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/room");
                for (int i = 0; i < subscribers; i++) {
                    BlockingQueue<String> texts = new LinkedBlockingQueue<>();
                    received.add(texts);
                    clients.add(client.connect(uri, new Listener() {
                        @Override
                        public void onText(Session session, String text) {
                            texts.add(text);
                        }
                    }).get(10, TimeUnit.SECONDS));
                }
                for (int i = 0; i < 500 && room.size() < subscribers; i++) {
                    Thread.sleep(10);
                }
                clients.get(0).sendText("go");
                assertEquals("ok", onLoop.get(10, TimeUnit.SECONDS));
                for (BlockingQueue<String> texts : received) {
                    for (int i = 0; i < messages; i++) {
                        assertEquals("message " + i, texts.poll(10, TimeUnit.SECONDS));
                    }
                    assertNull(texts.poll(20, TimeUnit.MILLISECONDS));
                }
                assertTrue(room.stream().allMatch(s -> s.queuedBytes() == 0));
            } finally {
                client.close();
            }
        }
    }
}
