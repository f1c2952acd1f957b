package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The durations of the builders and shutdown calls, as SessionSettings' Javadoc says: one too long to count in
 * nanoseconds stands for a timeout that never comes (it used to throw ArithmeticException from build() or
 * shutdown()), and a null one throws NullPointerException naming the parameter (it used to name a local variable).
 */
class DurationArgumentsTest {
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
    private static final Duration MAX_MILLIS = Duration.ofMillis(Long.MAX_VALUE);

    @Test
    void timeoutsTooLongForNanosecondsNeverComeAndTheSessionsWork() throws Exception {
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new EchoListener())
                .handshakeTimeout(FOREVER).idleTimeout(FOREVER).incompleteMessageTimeout(FOREVER)
                .closeTimeout(FOREVER).sendTimeout(MAX_MILLIS).keepAlive(FOREVER, FOREVER)
                .build().start();
        try (Client client = Client.create()) {
            ClientOptions options = ClientOptions.builder().connectTimeout(FOREVER).handshakeTimeout(MAX_MILLIS)
                    .idleTimeout(MAX_MILLIS).closeTimeout(MAX_MILLIS).sendTimeout(FOREVER)
                    .keepAlive(MAX_MILLIS, FOREVER).build();
            Recorder recorder = new Recorder();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), options, recorder)
                    .get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            session.sendText("first");
            recorder.expect("text:first");
            // A deadline that had wrapped around would be due at once: the loop's next turn would end the session.
            Thread.sleep(200);
            session.sendText("later");
            recorder.expect("text:later");
            assertTrue(session.isOpen());
            assertTrue(server.shutdown(FOREVER), "the session closed within the timeout");
            assertEquals("close:1001:server shutting down", recorder.awaitClose());
            assertTrue(client.shutdown(MAX_MILLIS));
        } finally {
            server.close();
        }
    }

    @Test
    void aReconnectPolicyMayBoundNothingWithItsLongestDurations() throws Exception {
        ReconnectPolicy policy = ReconnectPolicy.builder().initialDelay(MAX_MILLIS).maxDelay(FOREVER)
                .maxTime(FOREVER).build();
        LinkedBlockingQueue<ReconnectingSession.State> states = new LinkedBlockingQueue<>();
        Consumer<ReconnectingSession.Status> observer = status -> states.add(status.state());
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new EchoListener())
                .build().start();
             Client client = Client.create()) {
            Recorder recorder = new Recorder();
            ReconnectingSession session = client.connectReconnecting(
                    URI.create("ws://127.0.0.1:" + server.port() + "/"), ClientOptions.defaults(), policy, recorder,
                    observer);
            assertEquals(ReconnectingSession.State.CONNECTING, states.poll(10, TimeUnit.SECONDS));
            assertEquals(ReconnectingSession.State.OPEN, states.poll(10, TimeUnit.SECONDS));
            session.sendText("through");
            recorder.expect("open");
            recorder.expect("text:through");
            assertEquals(ReconnectingSession.State.CLOSED, session.close(1000, "").get(10, TimeUnit.SECONDS).state());
        }
    }

    @Test
    void aNullDurationIsRefusedNamingItsParameter() {
        Duration second = Duration.ofSeconds(1);
        Server.Builder server = Server.builder();
        ClientOptions.Builder client = ClientOptions.builder();
        ReconnectPolicy.Builder policy = ReconnectPolicy.builder();
        List<Object[]> calls = List.of(
                new Object[] {"handshakeTimeout", (Executable) () -> server.handshakeTimeout(null)},
                new Object[] {"incompleteMessageTimeout", (Executable) () -> server.incompleteMessageTimeout(null)},
                new Object[] {"idleTimeout", (Executable) () -> server.idleTimeout(null)},
                new Object[] {"closeTimeout", (Executable) () -> server.closeTimeout(null)},
                new Object[] {"sendTimeout", (Executable) () -> server.sendTimeout(null)},
                new Object[] {"interval", (Executable) () -> server.keepAlive(null, second)},
                new Object[] {"pongTimeout", (Executable) () -> server.keepAlive(second, null)},
                new Object[] {"connectTimeout", (Executable) () -> client.connectTimeout(null)},
                new Object[] {"initialDelay", (Executable) () -> policy.initialDelay(null)},
                new Object[] {"maxDelay", (Executable) () -> policy.maxDelay(null)},
                new Object[] {"maxTime", (Executable) () -> policy.maxTime(null)},
                new Object[] {"timeout", (Executable) () -> Server.builder().build().shutdown(null)},
                new Object[] {"timeout", (Executable) () -> {
                    try (Client closed = Client.create()) {
                        closed.shutdown(null);
                    }
                }});
        for (Object[] call : calls) {
            assertEquals(call[0], assertThrows(NullPointerException.class, (Executable) call[1]).getMessage());
        }
    }
}
