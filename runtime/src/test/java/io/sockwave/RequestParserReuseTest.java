package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A loop reads its connections' request heads with one parser, lent to each head in turn (RFC 6455 §4.2.1's
 * request, read per RFC 9112): a head that arrives in pieces keeps a parser of its own while whole heads are read
 * meanwhile, and each session sees exactly the header fields its client sent, none of an earlier head's.
 */
class RequestParserReuseTest {
    @Test
    void headsReadOneAfterAnotherAndAcrossAHeadInPiecesKeepTheirOwnFields() throws Exception {
        BlockingQueue<Session> opened = new LinkedBlockingQueue<>();
        Listener listener = new Listener() {
            @Override
            public void onOpen(Session session) {
                opened.add(session);
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", listener)
                .build().start();
             RawSocket first = RawSocket.connect(server.port());
             RawSocket split = RawSocket.connect(server.port());
             RawSocket whole = RawSocket.connect(server.port());
             RawSocket next = RawSocket.connect(server.port())) {
            // The first head leaves the loop's parser spare; the split one takes it and keeps it.
            upgrade(first, RawSocket.upgrade("/", "X-Client: first\r\n"));
            assertClient("first", opened, 1);
            String head = RawSocket.upgrade("/?split", "X-Client: split\r\nX-Extra: 1\r\n");
            int cut = head.indexOf("X-Client") + 4;
            split.write(head.substring(0, cut));
            Thread.sleep(200);

            upgrade(whole, RawSocket.upgrade("/", "X-Client: whole\r\n"));
            assertClient("whole", opened, 1);
            upgrade(next, RawSocket.upgrade("/", "X-Client: next\r\n"));
            assertClient("next", opened, 1);

            upgrade(split, head.substring(cut));
            Session session = assertClient("split", opened, 2);
            assertEquals("split", session.query());
            assertEquals("1", session.requestHeaders().first("X-Extra"));
        }
    }

    private static void upgrade(RawSocket socket, String head) throws Exception {
        socket.write(head);
        String response = socket.readHead();
        assertTrue(response.startsWith("HTTP/1.1 101 "), response);
    }

    /** @param fields how many header fields beyond the five of every request the session should see */
    private static Session assertClient(String client, BlockingQueue<Session> opened, int fields)
            throws InterruptedException {
        Session session = opened.poll(10, TimeUnit.SECONDS);
        assertNotNull(session, "no session opened for " + client);
        assertEquals(List.of(client), session.requestHeaders().all("X-Client"));
        assertEquals(5 + fields, session.requestHeaders().size(), session.requestHeaders().toString());
        assertTrue(opened.isEmpty());
        return session;
    }
}
