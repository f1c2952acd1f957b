package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.TestCertificates;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client whose TLS handshake waits for a slow server must wait idle. Its upgrade request is queued before the
 * handshake is done and cannot be encrypted until the server's flight arrives; selecting for writability meanwhile
 * woke the loop at once, turn after turn: a core spun for the whole round trip of every wss:// handshake.
 */
class TlsHandshakeWaitTest {
    private static final long SERVER_SILENCE_MILLIS = 1500;

    @Test
    void aClientWaitingForTheServersHandshakeFlightSleepsInTheSelector() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                Client client = Client.create(1)) {
            CountDownLatch helloArrived = new CountDownLatch(1);
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                // Takes the connection and the start of its ClientHello, answers nothing, then hangs up.
                try (Socket accepted = silent.accept()) {
                    accepted.getInputStream().readNBytes(5);
                    helloArrived.countDown();
                    Thread.sleep(SERVER_SILENCE_MILLIS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ClientOptions options = ClientOptions.builder().sslContext(TestCertificates.loopback().client())
                    .connectTimeout(java.time.Duration.ofSeconds(10)).build();
            CompletableFuture<Session> connecting = client.connect(
                    URI.create("wss://localhost:" + silent.getLocalPort() + "/"), options, new Listener() { });
            assertTrue(helloArrived.await(10, TimeUnit.SECONDS), "no ClientHello");
            Thread.sleep(100);
            Thread loop = newestClientLoop();
            // Where the loop is, sampled: a waiting loop sits in the selector's wait; a spinning one is seen
            // anywhere in its turn however little CPU the machine gives it, so this holds on a loaded machine too.
            int samples = 0;
            int busy = 0;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SERVER_SILENCE_MILLIS - 500);
            while (System.nanoTime() < end) {
                StackTraceElement[] stack = loop.getStackTrace();
                samples++;
                if (stack.length == 0 || !inSelectorWait(stack[0])) {
                    busy++;
                }
                Thread.sleep(5);
            }
            assertTrue(busy * 10 < samples, "the client's loop was busy in " + busy + " of " + samples
                    + " samples while waiting for the server's TLS flight");
            server.get(10, TimeUnit.SECONDS);
            assertThrows(ExecutionException.class, () -> connecting.get(10, TimeUnit.SECONDS));
        }
    }

    /** The native wait of the JDK's selector: EPoll.wait on Linux, KQueue.poll on macOS, WEPoll.wait on Windows. */
    private static boolean inSelectorWait(StackTraceElement top) {
        return top.getClassName().startsWith("sun.nio.ch.") && top.isNativeMethod()
                && (top.getMethodName().equals("wait") || top.getMethodName().equals("poll"));
    }

    private static Thread newestClientLoop() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sockwave-client-") && t.getName().endsWith("-loop-0"))
                .max(Comparator.comparingInt(TlsHandshakeWaitTest::serial))
                .orElseThrow();
    }

    private static int serial(Thread loop) {
        String name = loop.getName();
        return Integer.parseInt(name.substring("sockwave-client-".length(), name.indexOf("-loop-")));
    }
}
