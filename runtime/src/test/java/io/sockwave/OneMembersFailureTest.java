package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One member's failure never costs another member its message: a topic's hand-out and a broadcast go on to every
 * session after one whose send threw something unexpected (here its extension's encoder, the application's code),
 * and the failing one is closed, as a failure writing to its channel closes it. Read as frames by raw sockets.
 */
@Timeout(60)
class OneMembersFailureTest {
    /** Thrown by the broken extension: no kind of failure the runtime expects of an encoder. */
    private static final class EncoderBroke extends RuntimeException {
        EncoderBroke() {
            super("the extension's encoder broke");
        }
    }

    private final LinkedBlockingQueue<Session> opened = new LinkedBlockingQueue<>();
    private final List<RawSocket> sockets = new ArrayList<>();
    /** The sessions in the order they opened; read by the loop for the broadcast made there. */
    private final List<Session> sessionsInOrder = new CopyOnWriteArrayList<>();
    private final CompletableFuture<BroadcastResult> loopResult = new CompletableFuture<>();
    private Server server;

    @BeforeEach
    void start() throws Exception {
        PassThroughExtensionFactory broken = new PassThroughExtensionFactory("x-broken", () -> {
            throw new EncoderBroke();
        });
        server = Server.builder().host("127.0.0.1").eventLoops(1).extensions(broken)
                .route("/", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        opened.add(session);
                    }

                    @Override
                    public void onText(Session session, String text) {
                        if (text.startsWith("broadcast from the loop:")) {
                            String news = text.substring(text.indexOf(':') + 1);
                            loopResult.complete(Server.broadcast(sessionsInOrder, news));
                        }
                    }
                }).build().start();
    }

    @AfterEach
    void stop() throws IOException {
        for (RawSocket socket : sockets) {
            socket.close();
        }
        server.close();
    }

    @Test
    void aTopicsHandOutReachesTheMembersAfterOneWhoseSendThrew() throws Exception {
        RawSocket first = connect(false);
        RawSocket broken = connect(true);
        RawSocket last = connect(false);
        Topic topic = new Topic("one fails");
        for (Session session : sessionsInOrder) {
            topic.add(session);
        }
        topic.publishText("one");
        topic.publishText("two");

        for (RawSocket healthy : List.of(first, last)) {
            assertEquals("one", healthy.readFrame().text());
            assertEquals("two", healthy.readFrame().text());
        }
        assertClosedWithoutData(broken);
        awaitSize(topic, 2);
        topic.publishText("three");
        assertEquals("three", first.readFrame().text());
        assertEquals("three", last.readFrame().text());
    }

    @Test
    void aBroadcastOffTheLoopReachesTheSessionsAfterOneWhoseSendThrew() throws Exception {
        RawSocket first = connect(false);
        RawSocket broken = connect(true);
        RawSocket last = connect(false);

        BroadcastResult result = Server.broadcast(sessionsInOrder, "news");

        // Off the loop the failure comes after the broadcast returned: the session counts as queued, and is closed.
        assertEquals(3, result.queued(), result.skipped().toString());
        assertEquals("news", first.readFrame().text());
        assertEquals("news", last.readFrame().text());
        assertClosedWithoutData(broken);
    }

    @Test
    void aBroadcastOnTheLoopReachesTheSessionsAfterOneWhoseSendThrewAndReportsIt() throws Exception {
        RawSocket first = connect(false);
        RawSocket broken = connect(true);
        RawSocket last = connect(false);
        Session failing = sessionsInOrder.get(1);

        first.write(RawSocket.masked(0x81, "broadcast from the loop:news"));
        BroadcastResult result = loopResult.get(10, TimeUnit.SECONDS);

        assertEquals(2, result.queued());
        assertEquals(1, result.skipped().size());
        assertSame(failing, result.skipped().get(0).session());
        assertEquals(BroadcastResult.Reason.CLOSED, result.skipped().get(0).reason());
        assertInstanceOf(EncoderBroke.class, result.skipped().get(0).cause());
        assertEquals("news", first.readFrame().text());
        assertEquals("news", last.readFrame().text());
        assertClosedWithoutData(broken);
    }

    /**
     * A session of the application's own making whose send throws is skipped, reported with what it threw; its
     * {@code isOpen}, which the broadcast asks for the reason, throws too.
     */
    @Test
    void aBroadcastReachesTheSessionsAfterOneOfTheApplicationsWhoseSendThrew() throws Exception {
        RawSocket first = connect(false);
        RawSocket last = connect(false);
        EncoderBroke thrown = new EncoderBroke();
        Session throwing = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
                new Class<?>[] {Session.class}, (proxy, method, args) -> {
                    return switch (method.getName()) {
                        case "send", "isOpen" -> throw thrown;
                        case "toString" -> "the application's throwing session";
                        default -> null;
                    };
                });

        BroadcastResult result = Server.broadcast(List.of(sessionsInOrder.get(0), throwing, sessionsInOrder.get(1)),
                "news");

        assertEquals(2, result.queued());
        assertEquals(1, result.skipped().size());
        assertSame(throwing, result.skipped().get(0).session());
        assertEquals(BroadcastResult.Reason.REFUSED, result.skipped().get(0).reason());
        assertSame(thrown, result.skipped().get(0).cause());
        assertEquals("news", first.readFrame().text());
        assertEquals("news", last.readFrame().text());
    }

    /** @param brokenExtension whether the session negotiates the extension whose encoder throws */
    private RawSocket connect(boolean brokenExtension) throws Exception {
        RawSocket socket = RawSocket.connect(server.port());
        sockets.add(socket);
        socket.write(RawSocket.upgrade("/", brokenExtension ? "Sec-WebSocket-Extensions: x-broken\r\n" : ""));
        String head = socket.readHead();
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        assertEquals(brokenExtension, head.contains("x-broken"), head);
        sessionsInOrder.add(opened.poll(10, TimeUnit.SECONDS));
        return socket;
    }

    /** The failing session's socket ends (aborted, as after a failure writing to it), with no data frame first. */
    private static void assertClosedWithoutData(RawSocket socket) throws IOException {
        try {
            RawSocket.Frame frame = socket.readFrame();
            assertEquals(0x8, frame.opcode(), "only a close may come, not a data frame");
        } catch (IOException ended) {
            // EOF or a reset: the abort closed the socket.
            assertTrue(ended instanceof java.io.EOFException || ended instanceof SocketException, ended.toString());
        }
    }

    private static void awaitSize(Topic topic, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (topic.size() != size && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertEquals(size, topic.size());
    }
}
