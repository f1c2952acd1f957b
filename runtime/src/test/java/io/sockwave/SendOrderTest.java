package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Messages leave in the order the application sent them, whichever threads sent them: a send made on the event loop
 * after another thread's send has returned must not overtake it (RFC 6455 §5.4 has the frames of one connection in
 * order; an application counts on its messages being so too).
 */
class SendOrderTest {

    @Test
    void aSendOnTheLoopQueuesBehindAnEarlierSendFromAnotherThread() throws Exception {
        Listener ordered = new Listener() {
            @Override
            public void onText(Session session, String text) {
                CountDownLatch sent = new CountDownLatch(1);
                new Thread(() -> {
                    session.sendText("first, from another thread");
                    sent.countDown();
                }).start();
                try {
                    // That send has returned; its frame waits for this callback to end, as the loop is busy here.
                    assertEquals(true, sent.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Server.broadcast(List.of(session), "second, a broadcast from the loop");
                session.sendText("third, from the loop");
                session.close(1000, "done");
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", ordered).build()
                .start();
             RawSocket socket = RawSocket.connect(server.port()).open("/")) {
            socket.write(RawSocket.masked(0x81, "go"));
            assertEquals("first, from another thread", text(socket.readFrame()));
            assertEquals("second, a broadcast from the loop", text(socket.readFrame()));
            assertEquals("third, from the loop", text(socket.readFrame()));
            assertEquals(1000, socket.readFrame().closeCode());
        }
    }

    private static String text(RawSocket.Frame frame) {
        assertEquals(0x1, frame.opcode());
        return new String(frame.payload(), StandardCharsets.UTF_8);
    }
}
