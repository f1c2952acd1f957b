package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broadcasts interleaved on the loop, within one turn and across turns, with direct sends, fragmented messages and
 * pings to single sessions, half of whose readers are slow enough for partial writes: each session must receive
 * exactly the messages sent to it, whole and in the order they were sent (RFC 6455 §5.4: the fragments of a
 * message in order, control frames only between frames), whichever way the runtime queued or wrote them. Random
 * but seeded: the sequences are known on the loop, where the commands run.
 */
@Timeout(60)
class BroadcastInterleavingTest {
    private static final int SUBSCRIBERS = 6;
    private static final int BATCHES = 60;
    private static final String END = "end";

    @Test
    void eachSessionGetsExactlyItsSequence() throws Exception {
        for (long seed : new long[] {6455, 7692, 8446}) {
            interleave(seed);
        }
    }

    /**
     * The controller's commands, each a text message, run on the loop: {@code B n len} broadcasts message n to every
     * subscriber, {@code D i n len} sends it to subscriber i alone, {@code F i n len} sends its first half as a
     * fragment and {@code L i} the rest, {@code P i} pings subscriber i, {@code E} ends.
     */
    private void interleave(long seed) throws Exception {
        List<Session> subscribers = new CopyOnWriteArrayList<>();
        List<List<Integer>> expected = new ArrayList<>();
        String[] halfSent = new String[SUBSCRIBERS];
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Listener control = new Listener() {
            @Override
            public void onText(Session session, String command) {
                String[] c = command.split(" ");
                switch (c[0]) {
                    case "B" -> {
                        int n = Integer.parseInt(c[1]);
                        PreparedMessage message = PreparedMessage.text(payload(n, Integer.parseInt(c[2])));
                        BroadcastResult result = Server.broadcast(subscribers, message);
                        for (int i = 0; i < SUBSCRIBERS; i++) {
                            Session s = subscribers.get(i);
                            if (result.skipped().stream().noneMatch(skip -> skip.session() == s)) {
                                expected.get(i).add(n);
                            }
                        }
                    }
                    case "D" -> {
                        int i = Integer.parseInt(c[1]);
                        int n = Integer.parseInt(c[2]);
                        if (!subscribers.get(i).sendText(payload(n, Integer.parseInt(c[3]))).isDone()) {
                            expected.get(i).add(n);
                        }
                    }
                    case "F" -> {
                        int i = Integer.parseInt(c[1]);
                        int n = Integer.parseInt(c[2]);
                        String text = payload(n, Integer.parseInt(c[3]));
                        int half = text.length() / 2;
                        if (halfSent[i] == null
                                && !subscribers.get(i).sendText(text.substring(0, half), false).isDone()) {
                            halfSent[i] = text.substring(half);
                            expected.get(i).add(n);
                        }
                    }
                    case "L" -> {
                        int i = Integer.parseInt(c[1]);
                        if (halfSent[i] != null) {
                            subscribers.get(i).sendText(halfSent[i], true);
                            halfSent[i] = null;
                        }
                    }
                    case "P" -> subscribers.get(Integer.parseInt(c[1])).ping(ByteBuffer.wrap(new byte[] {1}));
                    case "E" -> {
                        for (int i = 0; i < SUBSCRIBERS; i++) {
                            if (halfSent[i] != null) {
                                subscribers.get(i).sendText(halfSent[i], true);
                            }
                            subscribers.get(i).sendText(END);
                        }
                        ended.complete(null);
                    }
                    default -> throw new IllegalArgumentException(command);
                }
            }
        };
        Server.Builder builder = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/sub", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        subscribers.add(session);
                    }
                })
                .route("/ctl", control);
        for (int i = 0; i < SUBSCRIBERS; i++) {
            expected.add(new ArrayList<>());
        }
        ExecutorService readers = Executors.newFixedThreadPool(SUBSCRIBERS);
        Random random = new Random(seed);
        try (Server server = builder.build().start()) {
            List<Future<List<Integer>>> received = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                boolean slow = i % 2 == 0;
                RawSocket socket = RawSocket.connect(server.port(), null, slow).open("/sub");
                // One at a time, so that subscriber i is the i-th to open.
                for (int wait = 0; wait < 500 && subscribers.size() <= i; wait++) {
                    Thread.sleep(10);
                }
                received.add(readers.submit(() -> read(socket, slow, new Random(seed + socket.hashCode()))));
            }
            assertEquals(SUBSCRIBERS, subscribers.size());
            try (RawSocket controller = RawSocket.connect(server.port(), null, false).open("/ctl")) {
                int n = 0;
                for (int b = 0; b < BATCHES; b++) {
                    // One write of many commands: the loop reads them at once and runs them in one turn.
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    int commands = 1 + random.nextInt(30);
                    for (int k = 0; k < commands; k++) {
                        batch.writeBytes(RawSocket.masked(0x81, command(random, n++)));
                    }
                    controller.write(batch.toByteArray());
                    if (random.nextInt(4) == 0) {
                        Thread.sleep(random.nextInt(5));
                    }
                }
                controller.write(RawSocket.masked(0x81, "E"));
                ended.get(20, TimeUnit.SECONDS);
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    assertEquals(expected.get(i), received.get(i).get(30, TimeUnit.SECONDS),
                            "subscriber " + i + "'s messages (seed " + seed + ")");
                }
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static String command(Random random, int n) {
        int i = random.nextInt(SUBSCRIBERS);
        int roll = random.nextInt(100);
        if (roll < 55) {
            return "B " + n + " " + length(random);
        }
        if (roll < 75) {
            return "D " + i + " " + n + " " + length(random);
        }
        if (roll < 85) {
            return "F " + i + " " + n + " " + length(random);
        }
        if (roll < 93) {
            return "L " + i;
        }
        return "P " + i;
    }

    /** Mostly small, as a broadcast's frames shared in one turn; some past what a turn shares and a write takes. */
    private static int length(Random random) {
        int roll = random.nextInt(10);
        if (roll < 7) {
            return 8 + random.nextInt(200);
        }
        if (roll < 9) {
            return 200 + random.nextInt(4000);
        }
        return 5_000 + random.nextInt(80_000);
    }

    private static String payload(int n, int length) {
        String head = n + ":";
        return head + "x".repeat(Math.max(0, length - head.length()));
    }

    /** @return the numbers of the messages read, in order, up to the end marker; pings skipped */
    private static List<Integer> read(RawSocket socket, boolean slow, Random pauses) throws Exception {
        List<Integer> numbers = new ArrayList<>();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        boolean inMessage = false;
        int frames = 0;
        while (true) {
            if (slow && ++frames % 4 == 0) {
                Thread.sleep(pauses.nextInt(3));
            }
            RawSocket.Frame frame = socket.readFrame();
            int opcode = frame.b0() & 0x0F;
            boolean fin = (frame.b0() & 0x80) != 0;
            if (opcode == 0x9) {
                continue;
            }
            assertEquals(inMessage ? 0x0 : 0x1, opcode, "a text frame, or the continuation of one (§5.4)");
            message.writeBytes(frame.payload());
            inMessage = !fin;
            if (fin) {
                String text = message.toString(StandardCharsets.UTF_8);
                message.reset();
                if (text.equals(END)) {
                    return numbers;
                }
                int colon = text.indexOf(':');
                numbers.add(Integer.parseInt(text.substring(0, colon)));
            }
        }
    }
}
