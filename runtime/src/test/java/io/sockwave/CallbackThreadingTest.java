package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Where callbacks run: the event loop by default, or an executor keeping each session's order. */
class CallbackThreadingTest {
    @Test
    void callbacksRunOnTheEventLoopByDefault() throws Exception {
        Recorder recorder = new Recorder();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", recorder).build().start();
             Client client = Client.create()) {
            client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), new Recorder())
                    .get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            assertTrue(recorder.callbackThread.matches("sockwave-server-\\d+-loop-0"), recorder.callbackThread);
        }
    }

    @Test
    void executorCallbacksKeepPerSessionOrderAndDoNotOverlap() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "app-callback"));
        int sessions = 4;
        int messages = 500;
        ConcurrentHashMap<Session, List<String>> received = new ConcurrentHashMap<>();
        AtomicBoolean overlapped = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(sessions);
        Listener listener = new Listener() {
            private final ConcurrentHashMap<Session, AtomicBoolean> busy = new ConcurrentHashMap<>();

            @Override
            public void onText(Session session, String text) {
                AtomicBoolean inCall = busy.computeIfAbsent(session, s -> new AtomicBoolean());
                if (!inCall.compareAndSet(false, true)) {
                    overlapped.set(true);
                }
                if (!Thread.currentThread().getName().equals("app-callback")) {
                    overlapped.set(true);
                }
                List<String> list = received.computeIfAbsent(session, s -> new ArrayList<>());
                list.add(text);
                if (list.size() == messages) {
                    done.countDown();
                }
                inCall.set(false);
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(pool)
                .route("/", listener).build().start();
             Client client = Client.create(2)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
            for (int s = 0; s < sessions; s++) {
                Session session = client.connect(uri, new Recorder()).get(10, TimeUnit.SECONDS);
                for (int i = 0; i < messages; i++) {
                    session.sendText(Integer.toString(i));
                }
            }
            assertTrue(done.await(10, TimeUnit.SECONDS), "every message arrived");
        } finally {
            pool.shutdownNow();
        }
        assertTrue(!overlapped.get(), "callbacks of one session overlapped or ran off the executor");
        for (List<String> list : received.values()) {
            for (int i = 0; i < messages; i++) {
                assertEquals(Integer.toString(i), list.get(i));
            }
        }
    }

    @Test
    void aBlockingCallbackOnTheExecutorDoesNotStallOtherSessions() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        CountDownLatch unblock = new CountDownLatch(1);
        Recorder fast = new Recorder();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(pool)
                .route("/slow", new Listener() {
                    @Override
                    public void onText(Session session, String text) {
                        try {
                            unblock.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                })
                .route("/fast", new EchoListener())
                .build().start();
             Client client = Client.create()) {
            String base = "ws://127.0.0.1:" + server.port();
            client.connect(URI.create(base + "/slow"), new Recorder()).get(10, TimeUnit.SECONDS).sendText("block");
            Session session = client.connect(URI.create(base + "/fast"), fast).get(10, TimeUnit.SECONDS);
            session.sendText("still fast");
            fast.expect("open");
            fast.expect("text:still fast");
        } finally {
            unblock.countDown();
            pool.shutdownNow();
        }
    }
}
