package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.runtime.HostResolver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the client finds the server's address: host names are looked up on the client's resolver threads, under the
 * connect timeout, and a connect that is over before its lookup opens no socket. Real sockets on loopback; the
 * resolver is replaced to control when a lookup returns and to see where it runs.
 */
@Timeout(60)
class ClientHostResolutionTest {
    private static final long WAIT_SECONDS = 10;
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    private Client client;
    private Server server;
    private ServerSocket listener;
    private final BlockingResolver blocking = new BlockingResolver();

    @AfterEach
    void stop() throws IOException {
        blocking.release.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void localhostIsLookedUpOnAResolverThreadAndConnects() throws Exception {
        String address = HostResolver.SYSTEM.resolve("localhost")[0].getHostAddress();
        server = Server.builder().host(address).eventLoops(1).route("/", new Recorder()).build().start();
        AtomicInteger lookups = new AtomicInteger();
        Thread[] lookupThread = new Thread[1];
        client = Client.create(1, host -> {
            lookups.incrementAndGet();
            lookupThread[0] = Thread.currentThread();
            return HostResolver.SYSTEM.resolve(host);
        });
        Recorder recorder = new Recorder();
        Session session = client.connect(URI.create("ws://localhost:" + server.port() + "/"), recorder)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertTrue(session.isOpen());
        assertEquals(1, lookups.get());
        Thread thread = lookupThread[0];
        assertNotEquals(Thread.currentThread(), thread);
        assertTrue(thread.getName().matches("sockwave-client-\\d+-resolver-\\d+"), thread.getName());
        assertTrue(thread.isDaemon(), "resolver threads must not keep the JVM alive");
    }

    @Test
    void redirectToAHostNameIsLookedUpOnAResolverThreadNotTheEventLoop() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new Recorder()).build().start();
        Thread[] lookupThread = new Thread[1];
        client = Client.create(1, host -> {
            lookupThread[0] = Thread.currentThread();
            return new InetAddress[] {InetAddress.getByAddress(host, LOOPBACK)};
        });
        try (HandMadeServer redirector = new HandMadeServer()) {
            ClientOptions options = ClientOptions.builder().followRedirects(1).build();
            CompletableFuture<Session> connect = client.connect(redirector.uri("/start"), options, new Recorder());
            redirector.accept().raw().write("HTTP/1.1 307 Temporary Redirect\r\nLocation: ws://moved.test:"
                    + server.port() + "/\r\nContent-Length: 0\r\n\r\n");
            assertTrue(connect.get(WAIT_SECONDS, TimeUnit.SECONDS).isOpen());
        }
        assertNotNull(lookupThread[0], "the redirect's host was not looked up");
        assertTrue(lookupThread[0].getName().contains("-resolver-"), lookupThread[0].getName());
    }

    @Test
    void aHostWithSeveralAddressesIsTriedAddressAfterAddressUntilOneAccepts() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new Recorder()).build().start();
        int closedPort;
        try (ServerSocket nobody = new ServerSocket(0, 1, InetAddress.getByAddress(LOOPBACK))) {
            closedPort = nobody.getLocalPort();
        }
        // The first address refuses (::1 has no listener on this port, or no IPv6 here at all); the second answers.
        client = Client.create(1, host -> new InetAddress[] {
            InetAddress.getByAddress(host, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
            InetAddress.getByAddress(host, LOOPBACK)});
        assertTrue(client.connect(URI.create("ws://two.test:" + server.port() + "/"), new Recorder())
                .get(WAIT_SECONDS, TimeUnit.SECONDS).isOpen());

        // When every address refuses, the connect fails with the last refusal.
        Throwable cause = failure(client.connect(URI.create("ws://two.test:" + closedPort + "/"), new Recorder()));
        assertInstanceOf(IOException.class, cause);
    }

    @Test
    void ipLiteralsAreNotLookedUp() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        client = Client.create(1, host -> {
            lookups.incrementAndGet();
            throw new UnknownHostException(host);
        });
        server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new Recorder()).build().start();
        assertTrue(client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), new Recorder())
                .get(WAIT_SECONDS, TimeUnit.SECONDS).isOpen());

        server.close();
        try {
            server = Server.builder().host("::1").eventLoops(1).route("/", new Recorder()).build().start();
        } catch (IOException | RuntimeException noIpv6) {
            server = null;
            Assumptions.abort("no IPv6 loopback here: " + noIpv6);
        }
        assertTrue(client.connect(URI.create("ws://[::1]:" + server.port() + "/"), new Recorder())
                .get(WAIT_SECONDS, TimeUnit.SECONDS).isOpen());
        assertEquals(0, lookups.get());
    }

    @Test
    void unknownHostFailsWithUnknownHostExceptionNamingTheHost() {
        // What the JDK's resolver throws for a name without an address, without asking a name server: tests stay on
        // loopback, and a real lookup of even a .invalid name (RFC 6761 §6.4) may leave the machine.
        client = Client.create(1, host -> {
            throw new UnknownHostException(host);
        });
        Throwable cause = failure(client.connect(URI.create("ws://nowhere.invalid/"), new Recorder()));
        assertInstanceOf(UnknownHostException.class, cause);
        assertEquals("nowhere.invalid", cause.getMessage());
    }

    @Test
    void resolverFailureKeepsItsReasonAsTheCause() {
        UnknownHostException reason = new UnknownHostException("gone.test: Name or service not known");
        client = Client.create(1, host -> {
            throw reason;
        });
        Throwable cause = failure(client.connect(URI.create("ws://gone.test/"), new Recorder()));
        assertInstanceOf(UnknownHostException.class, cause);
        assertEquals("gone.test", cause.getMessage());
        assertEquals(reason, cause.getCause());
    }

    @Test
    void blockedLookupNeitherBlocksConnectNorOpensAConnectionOnceCancelled() throws Exception {
        client = Client.create(1, blocking);
        listener = new ServerSocket(0, 50, InetAddress.getByAddress(LOOPBACK));
        CompletableFuture<Session> connect = connectWithoutWaiting(
                URI.create("ws://slow.test:" + listener.getLocalPort() + "/late"), ClientOptions.defaults());
        assertTrue(blocking.entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the lookup never started");
        assertFalse(connect.isDone());
        assertNotEquals(Thread.currentThread(), blocking.thread);

        assertTrue(connect.cancel(false));
        blocking.finish();

        assertEquals("GET /marker HTTP/1.1", firstRequestAfterMarker());
        assertThrows(CancellationException.class, connect::join);
    }

    @Test
    void lookupOutlastingTheConnectTimeoutFailsNamingTheHostAndItsLateAnswerOpensNothing() throws Exception {
        client = Client.create(1, blocking);
        listener = new ServerSocket(0, 50, InetAddress.getByAddress(LOOPBACK));
        ClientOptions options = ClientOptions.builder().connectTimeout(Duration.ofSeconds(1)).build();
        CompletableFuture<Session> connect = connectWithoutWaiting(
                URI.create("ws://slow.test:" + listener.getLocalPort() + "/late"), options);

        Throwable cause = failure(connect);
        assertInstanceOf(TimeoutException.class, cause);
        assertTrue(cause.getMessage().contains("slow.test"), cause.getMessage());
        assertTrue(blocking.entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the lookup never started");

        blocking.finish();
        assertEquals("GET /marker HTTP/1.1", firstRequestAfterMarker());
    }

    @Test
    void closingTheClientFailsAConnectStillLookingUp() throws Exception {
        client = Client.create(1, blocking);
        CompletableFuture<Session> connect = connectWithoutWaiting(URI.create("ws://slow.test/"),
                ClientOptions.defaults());
        assertTrue(blocking.entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the lookup never started");

        client.close();

        Throwable cause = failure(connect);
        assertInstanceOf(IOException.class, cause);
        assertEquals("the client is closed", cause.getMessage());
    }

    /** Connects on another thread, so that a connect which waited for the blocked lookup fails the test. */
    private CompletableFuture<Session> connectWithoutWaiting(URI uri, ClientOptions options) {
        return assertTimeoutPreemptively(Duration.ofSeconds(WAIT_SECONDS),
                () -> client.connect(uri, options, new Recorder()), "connect waited for the lookup");
    }

    private static Throwable failure(CompletableFuture<Session> connect) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connect.get(3 * WAIT_SECONDS, TimeUnit.SECONDS));
        return e.getCause();
    }

    /**
     * Connects to {@link #listener} through an IP literal on the client's only loop, after the blocked lookup's
     * answer reached that loop, and returns the request line of the first connection accepted: a connection the
     * late answer had wrongly opened would have been queued on the loop before this one.
     */
    private String firstRequestAfterMarker() throws IOException {
        client.connect(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/marker"), new Recorder());
        listener.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        try (Socket accepted = listener.accept()) {
            accepted.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            return new BufferedReader(new InputStreamReader(accepted.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    /** A resolver whose lookups answer 127.0.0.1 once released. */
    private static final class BlockingResolver implements HostResolver {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread thread;

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            thread = Thread.currentThread();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnknownHostException("interrupted looking up " + host);
            }
            return new InetAddress[] {InetAddress.getByAddress(host, LOOPBACK)};
        }

        /**
         * Releases the lookup and waits until its thread is idle again, in the pool's timed wait for work: by then
         * the answer has been handed to the connect's loop.
         */
        void finish() {
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.TERMINATED) {
                assertTrue(System.nanoTime() - deadline < 0, "the resolver thread did not return to its pool");
                Thread.onSpinWait();
            }
        }
    }
}
