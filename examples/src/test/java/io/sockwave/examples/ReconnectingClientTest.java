package io.sockwave.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReconnectingClientTest {
    private static Server echo(int port) throws Exception {
        return Server.builder().host("127.0.0.1").port(port).route("/echo", new Listener() {
            @Override
            public void onText(Session session, String text) {
                session.sendText(text);
            }
        }).build().start();
    }

    @Test
    void reconnectsAfterTheServerGoesAwayAndComesBack() throws Exception {
        BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
        Server first = echo(0);
        int port = first.port();
        try (ReconnectingClient client = new ReconnectingClient(URI.create("ws://127.0.0.1:" + port + "/echo"),
                new Listener() {
                    @Override
                    public void onText(Session session, String text) {
                        echoes.add(text);
                    }
                })) {
            Session before = client.session().get(10, TimeUnit.SECONDS);
            before.sendText("one");
            assertEquals("one", echoes.poll(10, TimeUnit.SECONDS));

            first.close();
            // Down for a while: the client's attempts fail and back off meanwhile.
            Thread.sleep(300);
            try (Server second = echo(port)) {
                Session after = null;
                for (int i = 0; i < 100 && (after == null || after == before); i++) {
                    after = client.session().get(10, TimeUnit.SECONDS);
                    if (after == before) {
                        Thread.sleep(50);
                    }
                }
                assertNotSame(before, after);
                after.sendText("two");
                assertEquals("two", echoes.poll(10, TimeUnit.SECONDS));
            }
        }
    }
}
