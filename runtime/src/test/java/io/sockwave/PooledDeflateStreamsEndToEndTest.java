package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.PerMessageDeflate;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * RFC 7692 §7.1.1 through real sockets with the zlib streams that the connections of one event loop borrow, one
 * message at a time, from their factory: several connections on a single loop, messages sent to them at once from
 * several threads (whole and in fragments) and echoed back, each of which must inflate alone with a fresh
 * {@link Inflater}, since no context was taken over; and idle connections hold no zlib stream.
 */
class PooledDeflateStreamsEndToEndTest {
    private static final int CONNECTIONS = 4;
    private static final int MESSAGES = 40;
    private static final String OFFER =
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n";

    /** Messages of every connection share most of their bytes, so any history a stream kept would be used. */
    private static String message(int connection, int index) {
        return "{\"type\":\"message\",\"from\":\"user" + connection + "\",\"text\":\"the same words again and again\","
                + "\"index\":" + index + ",\"room\":\"general\"}";
    }

    @Test
    void section7_1_1_connectionsOfOneLoopSharingPooledStreamsEachSendSelfContainedMessages() throws Exception {
        PerMessageDeflate deflate = PerMessageDeflate.builder().threshold(0).build();
        BlockingQueue<Session> sessions = new LinkedBlockingQueue<>();
        Listener echo = new EchoListener() {
            @Override
            public void onOpen(Session session) {
                sessions.add(session);
            }
        };
        ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
        List<RawSocket> raws = new ArrayList<>();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).extensions(deflate)
                .route("/", echo).build().start()) {
            for (int c = 0; c < CONNECTIONS; c++) {
                RawSocket raw = RawSocket.connect(server.port());
                raws.add(raw);
                raw.write(RawSocket.upgrade("/", OFFER));
                String head = raw.readHead();
                assertTrue(head.contains("server_no_context_takeover"), head);
                assertTrue(head.contains("client_no_context_takeover"), head);
            }
            List<Session> opened = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                opened.add(sessions.poll(10, TimeUnit.SECONDS));
            }

            // Server to clients: every session gets whole and fragmented messages from its own thread, off the loop,
            // all at once, so that the loop compresses for one connection between another's fragments.
            List<Future<?>> sending = new ArrayList<>();
            for (Session session : opened) {
                sending.add(senders.submit(() -> {
                    for (int i = 0; i < MESSAGES; i++) {
                        if (i % 10 == 5) {
                            session.sendText(message(0, i), false);
                            session.sendText(message(1, i), false);
                            session.sendText(message(2, i), true);
                        } else {
                            session.sendText(message(0, i));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : sending) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (RawSocket raw : raws) {
                for (int i = 0; i < MESSAGES; i++) {
                    String expected = i % 10 == 5 ? message(0, i) + message(1, i) + message(2, i) : message(0, i);
                    assertEquals(expected, inflateAlone(readMessage(raw)), "server message " + i);
                }
            }

            // Clients to server and back: the server inflates with borrowed streams and compresses each echo anew.
            for (int i = 0; i < MESSAGES; i++) {
                for (int c = 0; c < CONNECTIONS; c++) {
                    raws.get(c).write(RawSocket.masked(0xC1, deflateAlone(message(c, i))));
                }
                for (int c = 0; c < CONNECTIONS; c++) {
                    assertEquals(message(c, i), inflateAlone(readMessage(raws.get(c))), "echo " + i + " of " + c);
                }
            }
            assertEquals(0, deflate.streamsInUse(), "zlib streams held by the idle connections");
        } finally {
            senders.shutdownNow();
            for (RawSocket raw : raws) {
                raw.close();
            }
        }
    }

    /** @return the payload of the next message, whole or from its fragments, which must carry RSV1 first (§6.1) */
    private static byte[] readMessage(RawSocket raw) throws Exception {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        RawSocket.Frame frame = raw.readFrame();
        assertEquals(0x41, frame.b0() & 0x7F, "RSV1 and text on the first frame");
        payload.writeBytes(frame.payload());
        while ((frame.b0() & 0x80) == 0) {
            frame = raw.readFrame();
            assertEquals(0x00, frame.b0() & 0x7F, "a continuation without RSV1");
            payload.writeBytes(frame.payload());
        }
        return payload.toByteArray();
    }

    /** §7.2.2: the payload with {@code 00 00 ff ff} appended, inflated by an inflater that saw nothing before. */
    private static String inflateAlone(byte[] payload) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            in.writeBytes(payload);
            in.writeBytes(new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF});
            inflater.setInput(in.toByteArray());
            byte[] out = new byte[64 * 1024];
            int n = inflater.inflate(out);
            return new String(out, 0, n, StandardCharsets.UTF_8);
        } finally {
            inflater.end();
        }
    }

    /** §7.2.1: a message compressed on its own, the {@code 00 00 ff ff} of its flush removed. */
    private static byte[] deflateAlone(String text) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[1024];
            int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            byte[] payload = new byte[n - 4];
            System.arraycopy(out, 0, payload, 0, payload.length);
            return payload;
        } finally {
            deflater.end();
        }
    }
}
