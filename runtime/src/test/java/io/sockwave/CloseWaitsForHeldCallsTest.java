package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Server#close()} closes every connection ({@code onClose} with 1006) and waits for the loop threads to
 * finish. A session whose calls were held (a message read while its reading was suspended, after its own close)
 * had them, {@code onClose} included, run by its loop after the loop had reported itself finished: close() returned
 * while the loop still ran the listener, and onClose came after it.
 */
class CloseWaitsForHeldCallsTest {

    @Test
    void closeReturnsOnlyOnceTheHeldCallsAndOnCloseRan() throws Exception {
        HeldCallsRecorder listener = new HeldCallsRecorder();
        Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", listener).build().start();
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.open("/");
            assertEquals(0x88, raw.readFrame().b0(), "the server's close frame");
            raw.write(RawSocket.masked(0x81, "held"));
            Thread.sleep(1_000); // read and held meanwhile (a few bytes on loopback): reading is suspended
            assertEquals(List.of(), listener.calls, "no call before the session ends");
            server.close();
            assertEquals(List.of("text:held", "close:1006"), listener.calls);
        } finally {
            server.close();
        }
    }
}
