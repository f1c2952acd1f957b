package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Publishes to a {@link Topic} interleaved with direct sends, fragmented messages, pings, members joining, leaving
 * and closing, from one thread and from several (event loops' threads among them), to members on two loops of a
 * plain server, on a TLS server and on a permessage-deflate server, half of whose readers are slow enough for
 * partial writes. Each member must read exactly what the class comment of {@link Topic} promises it: one thread's
 * publishes and sends in that thread's order, from the publishes made while it was a member, whole (RFC 6455 §5.4:
 * the fragments of a message in order, control frames only between frames), compressed on the deflate server
 * (RFC 7692 §6: RSV1 on the first frame). Random but seeded.
 */
@Timeout(120)
class TopicInterleavingTest {
    private static final String END = "end";
    /** Members: 0-3 plain (on both loops of one server), 4-5 TLS, 6-7 permessage-deflate. */
    private static final int MEMBERS = 8;
    private static final int TLS_FROM = 4;
    private static final int DEFLATE_FROM = 6;

    private final TestCertificates certificates = TestCertificates.loopback();
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final List<Server> servers = new ArrayList<>();
    private final List<RawSocket> sockets = new ArrayList<>();
    private final List<Future<List<String>>> received = new ArrayList<>();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private Server plain;
    /** Runs a controller's commands on the plain server's loop its connection landed on. */
    private volatile Consumer<String> control = command -> { };

    @BeforeEach
    void startMembers() throws Exception {
        Listener members = new Listener() {
            @Override
            public void onOpen(Session session) {
                sessions.put(Integer.parseInt(session.pathParam("i")), session);
            }
        };
        Listener controller = new Listener() {
            @Override
            public void onText(Session session, String command) {
                control.accept(command);
            }
        };
        plain = Server.builder().host("127.0.0.1").eventLoops(2).route("/sub/{i}", members).route("/ctl", controller)
                .build().start();
        Server tls = Server.builder().host("127.0.0.1").eventLoops(1).tls(certificates.server())
                .route("/sub/{i}", members).build().start();
        Server deflate = Server.builder().host("127.0.0.1").eventLoops(1)
                .extensions(PerMessageDeflate.builder().threshold(0).build()).route("/sub/{i}", members)
                .build().start();
        servers.addAll(List.of(plain, tls, deflate));
        for (int i = 0; i < MEMBERS; i++) {
            boolean slow = i % 2 == 0;
            boolean compressed = i >= DEFLATE_FROM;
            Server server = i >= DEFLATE_FROM ? deflate : i >= TLS_FROM ? tls : plain;
            RawSocket socket = RawSocket.connect(server.port(), server == tls ? certificates.client() : null, slow);
            sockets.add(socket);
            socket.write(RawSocket.upgrade("/sub/" + i, compressed
                    ? "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n" : ""));
            assertTrue(socket.readHead().startsWith("HTTP/1.1 101 "));
            long seed = i;
            received.add(readers.submit(() -> read(socket, slow, compressed, new Random(seed))));
        }
        for (int wait = 0; wait < 500 && sessions.size() < MEMBERS; wait++) {
            Thread.sleep(10);
        }
        assertEquals(MEMBERS, sessions.size());
    }

    @AfterEach
    void stop() throws Exception {
        readers.shutdownNow();
        for (RawSocket socket : sockets) {
            socket.close();
        }
        for (Server server : servers) {
            server.close();
        }
    }

    /**
     * One thread, the test's, makes every call: publishes, direct sends, fragments, pings, joins, leaves and closes.
     * What each member must read follows from that thread's order alone, a fragmented message included: a publish
     * made while a member's fragmented message is open follows that message's last fragment (§5.4).
     */
    @Test
    void oneThreadsCallsKeepTheirOrder() throws Exception {
        Script script = new Script(new Topic("interleaved"), 6455);
        Random random = new Random(6455);
        for (int n = 0; n < 1500; n++) {
            script.apply(Script.command(random, n));
        }
        script.end();
        script.check();
    }

    /**
     * The same, made by an event loop's thread: the plain server's, which runs a controller's commands, publishing
     * to its own loop's members (held until the end of the turn or until something else is queued on a member) and
     * the other loops' (as their tasks). Many commands run in one turn.
     */
    @Test
    void aLoopThreadsCallsKeepTheirOrder() throws Exception {
        Script script = new Script(new Topic("interleaved on a loop"), 7692);
        CompletableFuture<Void> ended = new CompletableFuture<>();
        control = command -> {
            if (command.equals("E")) {
                script.end();
                ended.complete(null);
            } else {
                script.apply(command);
            }
        };
        Random random = new Random(7692);
        try (RawSocket controller = RawSocket.connect(plain.port(), null, false).open("/ctl")) {
            int n = 0;
            for (int batch = 0; batch < 80; batch++) {
                // One write of many commands: the loop reads them at once and runs them in one turn.
                ByteArrayOutputStream commands = new ByteArrayOutputStream();
                int count = 1 + random.nextInt(30);
                for (int k = 0; k < count; k++) {
                    commands.writeBytes(RawSocket.masked(0x81, Script.command(random, n++)));
                }
                controller.write(commands.toByteArray());
            }
            controller.write(RawSocket.masked(0x81, "E"));
            ended.get(60, TimeUnit.SECONDS);
            script.check();
        }
    }

    /** The calls of one thread, and what each member must read for them. */
    private final class Script {
        private final Topic topic;
        private final long seed;
        private final List<List<String>> expected = new ArrayList<>();
        private final Set<Integer> membership = new HashSet<>();
        private final Set<Integer> closed = new HashSet<>();
        private final String[] halfSent = new String[MEMBERS];

        Script(Topic topic, long seed) {
            this.topic = topic;
            this.seed = seed;
            for (int i = 0; i < MEMBERS; i++) {
                expected.add(new ArrayList<>());
            }
        }

        /**
         * {@code B n len} publishes message n; {@code D i n len} sends it to member i alone, {@code F i n len} its
         * first half as a fragment and {@code L i} the rest; {@code P i} pings member i; {@code A i} adds it,
         * {@code R i} removes it, {@code C i} closes it.
         */
        static String command(Random random, int n) {
            int i = random.nextInt(MEMBERS);
            int roll = random.nextInt(100);
            String len = " " + n + " " + length(random);
            if (roll < 45) {
                return "B" + len;
            }
            if (roll < 60) {
                return "D " + i + len;
            }
            if (roll < 68) {
                return "F " + i + len;
            }
            if (roll < 78) {
                return "L " + i;
            }
            if (roll < 84) {
                return "P " + i;
            }
            if (roll < 92) {
                return "A " + i;
            }
            return roll < 99 ? "R " + i : "C " + i;
        }

        void apply(String command) {
            String[] c = command.split(" ");
            if (c[0].equals("B")) {
                topic.publishText(payload("s", Integer.parseInt(c[1]), Integer.parseInt(c[2])));
                // Amid a member's fragmented message, the message waits for its end (§5.4): it still comes after
                // that message, which the list holds from its first fragment on.
                for (int m : membership) {
                    expected.get(m).add("s:" + c[1]);
                }
                return;
            }
            int i = Integer.parseInt(c[1]);
            Session member = sessions.get(i);
            if (closed.contains(i)) {
                return;
            }
            switch (c[0]) {
                case "D" -> {
                    member.sendText(payload("s", Integer.parseInt(c[2]), Integer.parseInt(c[3])));
                    // A whole message cannot go amid a fragmented one (§5.4): that send fails.
                    if (halfSent[i] == null) {
                        expected.get(i).add("s:" + c[2]);
                    }
                }
                case "F" -> {
                    if (halfSent[i] == null) {
                        String text = payload("s", Integer.parseInt(c[2]), Integer.parseInt(c[3]));
                        int half = text.length() / 2;
                        member.sendText(text.substring(0, half), false);
                        halfSent[i] = text.substring(half);
                        expected.get(i).add("s:" + c[2]);
                    }
                }
                case "L" -> finishFragments(i);
                case "P" -> member.ping(ByteBuffer.wrap(new byte[] {1}));
                case "A" -> {
                    topic.add(member);
                    membership.add(i);
                }
                case "R" -> {
                    topic.remove(member);
                    membership.remove(i);
                }
                case "C" -> {
                    if (closed.size() < 2) {
                        finishFragments(i);
                        member.close(1000, "done");
                        expected.get(i).add("close 1000 done");
                        closed.add(i);
                        membership.remove(i);
                    }
                }
                default -> throw new IllegalArgumentException(command);
            }
        }

        private void finishFragments(int i) {
            if (halfSent[i] != null) {
                sessions.get(i).sendText(halfSent[i], true);
                halfSent[i] = null;
            }
        }

        void end() {
            for (int i = 0; i < MEMBERS; i++) {
                if (!closed.contains(i)) {
                    finishFragments(i);
                    sessions.get(i).sendText(END);
                }
            }
        }

        void check() throws Exception {
            for (int i = 0; i < MEMBERS; i++) {
                assertEquals(expected.get(i), received.get(i).get(60, TimeUnit.SECONDS),
                        "member " + i + "'s messages (seed " + seed + ")");
            }
            for (int wait = 0; wait < 500 && topic.size() != membership.size(); wait++) {
                Thread.sleep(10);
            }
            assertEquals(membership.size(), topic.size(), "closed members left by themselves");
        }
    }

    /**
     * Three threads and an event loop's thread each publish and send to fixed members at once: each member reads
     * each thread's messages in that thread's order. The loop's thread (the plain server's, running a controller's
     * commands) publishes to its own loop's members too, but sends directly only to the other servers' members:
     * the other threads' sends to a member of its loop are what {@link Topic} names as the one order it does not
     * keep.
     */
    @Test
    void severalThreadsEachKeepTheirOrderAtEveryMember() throws Exception {
        Topic topic = new Topic("shared");
        for (Session member : sessions.values()) {
            topic.add(member);
        }
        for (int wait = 0; wait < 500 && topic.size() < MEMBERS; wait++) {
            Thread.sleep(10);
        }
        assertEquals(MEMBERS, topic.size());
        Map<String, List<List<String>>> expected = new ConcurrentHashMap<>();
        CompletableFuture<Void> controllerDone = new CompletableFuture<>();
        control = command -> {
            if (command.equals("E")) {
                controllerDone.complete(null);
            } else {
                run("loop", command, topic, expected);
            }
        };
        try (RawSocket socket = RawSocket.connect(plain.port(), null, false).open("/ctl")) {
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    String tag = "t" + t;
                    Random random = new Random(t);
                    done.add(threads.submit(() -> {
                        for (int n = 0; n < 400; n++) {
                            run(tag, command(random, n, MEMBERS), topic, expected);
                        }
                    }));
                }
                Random random = new Random(99);
                for (int n = 0; n < 400; n += 20) {
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    for (int k = n; k < n + 20; k++) {
                        batch.writeBytes(RawSocket.masked(0x81, command(random, k, MEMBERS)));
                    }
                    socket.write(batch.toByteArray());
                }
                socket.write(RawSocket.masked(0x81, "E"));
                for (Future<?> thread : done) {
                    thread.get(60, TimeUnit.SECONDS);
                }
                controllerDone.get(60, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
        }
        for (Session member : sessions.values()) {
            member.sendText(END);
        }
        for (int i = 0; i < MEMBERS; i++) {
            Map<String, List<String>> byThread = new LinkedHashMap<>();
            for (String message : received.get(i).get(60, TimeUnit.SECONDS)) {
                byThread.computeIfAbsent(message.substring(0, message.indexOf(':')), k -> new ArrayList<>())
                        .add(message);
            }
            for (Map.Entry<String, List<List<String>>> thread : expected.entrySet()) {
                assertEquals(thread.getValue().get(i), byThread.getOrDefault(thread.getKey(), List.of()),
                        "member " + i + "'s messages from " + thread.getKey());
            }
        }
    }

    /** {@code B n len} publishes; {@code D i n len} sends to member i; the loop's thread sends only off its loops. */
    private static String command(Random random, int n, int members) {
        if (random.nextInt(100) < 60) {
            return "B " + n + " " + length(random);
        }
        return "D " + random.nextInt(members) + " " + n + " " + length(random);
    }

    private void run(String tag, String command, Topic topic, Map<String, List<List<String>>> expected) {
        List<List<String>> mine = expected.computeIfAbsent(tag, k -> {
            List<List<String>> lists = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                lists.add(new ArrayList<>());
            }
            return lists;
        });
        String[] c = command.split(" ");
        if (c[0].equals("B")) {
            topic.publishText(payload(tag, Integer.parseInt(c[1]), Integer.parseInt(c[2])));
            for (List<String> member : mine) {
                member.add(tag + ":" + c[1]);
            }
            return;
        }
        int i = Integer.parseInt(c[1]);
        if (tag.equals("loop") && i < TLS_FROM) {
            return;
        }
        sessions.get(i).sendText(payload(tag, Integer.parseInt(c[2]), Integer.parseInt(c[3])));
        mine.get(i).add(tag + ":" + c[2]);
    }

    /** Mostly small, as a turn's frames shared; some past what a turn shares and what a write takes. */
    private static int length(Random random) {
        int roll = random.nextInt(10);
        if (roll < 7) {
            return 8 + random.nextInt(200);
        }
        if (roll < 9) {
            return 200 + random.nextInt(4000);
        }
        return 5_000 + random.nextInt(40_000);
    }

    private static String payload(String tag, int n, int length) {
        String head = tag + ":" + n + ":";
        return head + "x".repeat(Math.max(0, length - head.length()));
    }

    /**
     * @return the tags and numbers of the messages read, in order, up to the end marker or a close frame; pings
     *     skipped
     */
    private static List<String> read(RawSocket socket, boolean slow, boolean compressed, Random pauses)
            throws Exception {
        List<String> messages = new ArrayList<>();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        boolean inMessage = false;
        boolean deflated = false;
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
            if (opcode == 0x8) {
                // Answered, so that the server ends the session now rather than at its close timeout (§5.5.1).
                socket.write(RawSocket.masked(0x88, frame.payload()));
                byte[] close = frame.payload();
                messages.add("close " + ((close[0] & 0xFF) << 8 | close[1] & 0xFF) + " "
                        + new String(close, 2, close.length - 2, StandardCharsets.UTF_8));
                return messages;
            }
            assertEquals(inMessage ? 0x0 : 0x1, opcode, "a text frame, or the continuation of one (§5.4)");
            if (!inMessage) {
                deflated = (frame.b0() & 0x40) != 0;
                assertEquals(compressed, deflated, "RSV1 on a message's first frame (RFC 7692 §6)");
            }
            message.writeBytes(frame.payload());
            inMessage = !fin;
            if (fin) {
                byte[] bytes = deflated ? inflate(message.toByteArray()) : message.toByteArray();
                String text = new String(bytes, StandardCharsets.UTF_8);
                message.reset();
                if (text.equals(END)) {
                    return messages;
                }
                int second = text.indexOf(':', text.indexOf(':') + 1);
                messages.add(text.substring(0, second));
            }
        }
    }

    /** A message compressed without context takeover (RFC 7692 §7.2.2: the tail 00 00 ff ff restored). */
    private static byte[] inflate(byte[] compressed) throws Exception {
        Inflater inflater = new Inflater(true);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            inflater.setInput(RawSocket.concat(compressed, new byte[] {0, 0, (byte) 0xff, (byte) 0xff}));
            byte[] chunk = new byte[8192];
            while (true) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                    return out.toByteArray();
                }
                out.write(chunk, 0, n);
            }
        } finally {
            inflater.end();
        }
    }
}
