package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A caller that abandons a connect (cancel, or a timeout on the future) while the opening handshake is under way
 * gets its socket closed at once, rather than when the handshake timeout would have ended it.
 */
class ClientConnectCancelTest {
    /** Well under the default 10 s handshake timeout: only an abort on cancel closes the socket this soon. */
    private static final int READ_TIMEOUT_MILLIS = 5000;

    @Test
    void cancellingDuringTheHandshakeClosesTheSocketAtOnce() throws Exception {
        abandon(connecting -> connecting.cancel(false));
    }

    @Test
    void timingTheFutureOutDuringTheHandshakeClosesTheSocketAtOnce() throws Exception {
        abandon(connecting -> connecting.orTimeout(10, TimeUnit.MILLISECONDS));
    }

    private interface Abandon {
        void apply(CompletableFuture<Session> connecting);
    }

    private static void abandon(Abandon how) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Client client = Client.create()) {
            CompletableFuture<Session> connecting = client.connect(
                    URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/"), new Listener() { });
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout(READ_TIMEOUT_MILLIS);
                InputStream in = accepted.getInputStream();
                String head = readHead(in);
                assertTrue(head.startsWith("GET / HTTP/1.1\r\n"), head);
                // The server never answers; the caller gives up.
                how.apply(connecting);
                assertEquals(-1, in.read(), "the client closed its socket");
            }
            assertTrue(connecting.isCompletedExceptionally());
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("end of stream inside the request head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
