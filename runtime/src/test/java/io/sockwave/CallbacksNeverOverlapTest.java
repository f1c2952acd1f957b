package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listener: "the calls for one session never overlap and arrive in order: onOpen first, ... and onClose last". A
 * callback that ends its own session on the event loop (abort, or stopping the whole server, which "may be called
 * from a callback") used to get onError and onClose from inside itself, before it had returned: an application
 * that guards its state with the promise saw onClose run in the middle of onText, and onText go on after onClose.
 * Likewise a message decoded when onWritable resumed reading was delivered from inside onWritable.
 */
@Timeout(30)
class CallbacksNeverOverlapTest {

    /** Records each callback's entry and exit; the action runs inside onText or onOpen, as the test says. */
    private static class Tracing implements Listener {
        final List<String> trace = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final BiConsumer<Session, String> inText;
        final BiConsumer<Session, String> inOpen;

        Tracing(BiConsumer<Session, String> inOpen, BiConsumer<Session, String> inText) {
            this.inOpen = inOpen;
            this.inText = inText;
        }

        @Override
        public void onOpen(Session session) {
            trace.add("open(");
            inOpen.accept(session, "");
            trace.add(")");
        }

        @Override
        public void onText(Session session, String text) {
            trace.add("text(");
            inText.accept(session, text);
            trace.add(")");
        }

        @Override
        public void onError(Session session, Throwable error) {
            trace.add("error()");
        }

        @Override
        public void onClose(Session session, int code, String reason) {
            trace.add("close(" + code + ")");
            closed.complete(null);
        }

        List<String> awaitTrace() throws Exception {
            closed.get(10, TimeUnit.SECONDS);
            return List.copyOf(trace);
        }
    }

    private static final BiConsumer<Session, String> NOTHING = (s, t) -> { };

    @Test
    void anAbortInsideOnTextOnTheServerCallsOnCloseAfterOnTextReturns() throws Exception {
        Tracing listener = new Tracing(NOTHING, (session, text) -> session.abort());
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", listener).build()
                .start();
             RawSocket socket = RawSocket.connect(server.port()).open("/")) {
            socket.write(RawSocket.masked(0x81, "go"));

            assertEquals(List.of("open(", ")", "text(", ")", "close(1006)"), listener.awaitTrace());
        }
    }

    @Test
    void anAbortInsideOnOpenOnTheClientCallsOnCloseAfterOnOpenReturns() throws Exception {
        Tracing listener = new Tracing((session, text) -> session.abort(), NOTHING);
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", new Listener() { })
                .build().start();
             Client client = Client.create(1)) {
            CompletableFuture<Session> connected = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    listener);

            assertEquals(List.of("open(", ")", "close(1006)"), listener.awaitTrace());
            assertTrue(connected.isDone(), "the connect future is done by the time onClose has run");
        }
    }

    @Test
    void stoppingTheServerFromOnTextCallsOnCloseAfterOnTextReturns() throws Exception {
        CompletableFuture<Server> started = new CompletableFuture<>();
        Tracing listener = new Tracing(NOTHING, (session, text) -> started.join().close());
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", listener).build()
                .start();
             RawSocket socket = RawSocket.connect(server.port()).open("/")) {
            started.complete(server);
            socket.write(RawSocket.masked(0x81, "go"));

            // The loop's stop fails the connection with an IOException ("event loop stopped"): onError, then onClose.
            assertEquals(List.of("open(", ")", "text(", ")", "error()", "close(1006)"), listener.awaitTrace());
        }
    }

    /**
     * onWritable is "the place to call resumeReading": the messages that resuming decodes come after onWritable has
     * returned, not from inside it.
     */
    @Test
    void aMessageThatResumingInOnWritableDecodesComesAfterOnWritableReturns() throws Exception {
        Tracing listener = new Tracing(NOTHING, (session, text) -> {
            if (text.equals("first")) {
                // Unwritable until the peer reads this, and the rest of the read waits undecoded meanwhile.
                session.sendBinary(ByteBuffer.allocate(256 << 10));
                session.suspendReading();
            } else {
                session.close(1000, "done");
            }
        }) {
            @Override
            public void onWritable(Session session) {
                trace.add("writable(");
                session.resumeReading();
                trace.add(")");
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", listener).build()
                .start();
             RawSocket socket = RawSocket.connect(server.port()).open("/")) {
            byte[] first = RawSocket.masked(0x81, "first");
            byte[] second = RawSocket.masked(0x81, "second");
            byte[] both = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            socket.write(both);
            assertEquals(256 << 10, socket.readFrame().payload().length);
            assertEquals(1000, socket.readFrame().closeCode());
            socket.write(RawSocket.masked(0x88, new byte[] {0x03, (byte) 0xE8}));

            assertEquals(List.of("open(", ")", "text(", ")", "writable(", ")", "text(", ")", "close(1000)"),
                    listener.awaitTrace());
        }
    }

    @Test
    void anAbortInsideOnTextOnTheClientCallsOnCloseAfterOnTextReturns() throws Exception {
        Listener greeter = new Listener() {
            @Override
            public void onOpen(Session session) {
                session.sendText("hello");
            }
        };
        Tracing listener = new Tracing(NOTHING, (session, text) -> session.abort());
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", greeter).build()
                .start();
             Client client = Client.create(1)) {
            client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), listener).get(10, TimeUnit.SECONDS);

            assertEquals(List.of("open(", ")", "text(", ")", "close(1006)"), listener.awaitTrace());
        }
    }
}
