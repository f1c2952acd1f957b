package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Members of a {@link Topic} on one loop joining, leaving and closing in random order, between publishes: each
 * member keeps its slot among the loop's members, and the member that fills a leaver's slot is told its new one,
 * so a slot recorded wrongly would hand a message to the wrong member, or take the wrong one out when a member
 * leaves. Each member must read exactly the messages published while it was a member, as the test's thread made
 * its calls, and a member closed by the server its close frame after them. The readers answer the close at once,
 * so closed sessions end and leave the topic by themselves during the run, amid the other calls. Random but seeded.
 */
@Timeout(120)
class TopicMembershipChurnTest {
    private static final int MEMBERS = 48;
    private static final int CALLS = 3000;
    private static final String END = "end";
    private static final String CLOSED = "close";

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {16, 6455, 7692})
    void eachMemberReadsExactlyWhatWasPublishedWhileItWasOne(long seed) throws Exception {
        Map<Integer, Session> sessions = new ConcurrentHashMap<>();
        Listener listener = new Listener() {
            @Override
            public void onOpen(Session session) {
                sessions.put(Integer.parseInt(session.pathParam("i")), session);
            }
        };
        ExecutorService readers = Executors.newFixedThreadPool(MEMBERS);
        List<RawSocket> sockets = new ArrayList<>();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/member/{i}", listener)
                .build().start()) {
            List<Future<List<String>>> received = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                RawSocket socket = RawSocket.connect(server.port()).open("/member/" + i);
                sockets.add(socket);
                received.add(readers.submit(() -> read(socket)));
            }
            for (int wait = 0; wait < 500 && sessions.size() < MEMBERS; wait++) {
                Thread.sleep(10);
            }
            assertEquals(MEMBERS, sessions.size());

            Topic topic = new Topic("churn");
            List<List<String>> expected = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                expected.add(new ArrayList<>());
            }
            Set<Integer> members = new HashSet<>();
            Set<Integer> closed = new HashSet<>();
            Random random = new Random(seed);
            for (int n = 0; n < CALLS; n++) {
                int i = random.nextInt(MEMBERS);
                Session session = sessions.get(i);
                int roll = random.nextInt(100);
                if (roll < 40) {
                    topic.publishText("m" + n);
                    for (int member : members) {
                        expected.get(member).add("m" + n);
                    }
                } else if (roll < 70) {
                    topic.add(session);
                    if (!closed.contains(i)) {
                        members.add(i);
                    }
                } else if (roll < 97) {
                    topic.remove(session);
                    members.remove(i);
                } else if (closed.size() < MEMBERS / 2 && closed.add(i)) {
                    session.close(1000, "bye");
                    expected.get(i).add(CLOSED);
                    members.remove(i);
                }
            }
            for (int i = 0; i < MEMBERS; i++) {
                if (!closed.contains(i)) {
                    // After the publishes, from the same thread: the end of what the member reads.
                    sessions.get(i).sendText(END);
                }
            }
            for (int i = 0; i < MEMBERS; i++) {
                assertEquals(expected.get(i), received.get(i).get(60, TimeUnit.SECONDS),
                        "member " + i + "'s messages (seed " + seed + ")");
            }
            for (int wait = 0; wait < 500 && topic.size() != members.size(); wait++) {
                Thread.sleep(10);
            }
            assertEquals(members.size(), topic.size(), "members left, closed ones by themselves");
        } finally {
            readers.shutdownNow();
            for (RawSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** @return the texts read up to the end marker, or up to a close frame (answered at once), then "close" */
    private static List<String> read(RawSocket socket) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int frames = 0; frames < CALLS + 2; frames++) {
            RawSocket.Frame frame = socket.readFrame();
            if (frame.opcode() == 0x8) {
                socket.write(RawSocket.masked(0x88, frame.payload()));
                texts.add(CLOSED);
                return texts;
            }
            assertEquals(0x81, frame.b0(), "a whole text frame");
            if (frame.text().equals(END)) {
                return texts;
            }
            texts.add(frame.text());
        }
        throw new AssertionError("no end after " + texts.size() + " messages");
    }
}
