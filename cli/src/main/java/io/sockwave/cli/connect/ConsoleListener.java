package io.sockwave.cli.connect;

import io.sockwave.Listener;
import io.sockwave.Session;
import io.sockwave.protocol.CloseCode;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code connect} does with incoming events: prints messages on standard output (or, as an echo client, sends
 * them back), reports the opening, pongs and the close on standard error, and completes {@link #closed()} with the
 * close.
 */
final class ConsoleListener implements Listener {
    /** How the session ended. */
    record Close(int code, String reason) {
        /** @return such as {@code 1000 (normal closure)} or {@code 1011 (internal error): out of memory} */
        String describe() {
            return code + " (" + CloseCode.describe(code) + ")" + (reason.isEmpty() ? "" : ": " + reason);
        }
    }

    private final String target;
    private final MessagePrinter printer;
    private final PrintStream err;
    private final boolean echo;
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private volatile Throwable error;
    /** When the last pong arrived, in {@link System#nanoTime()} units; for {@code --ping-timeout}. */
    private volatile long lastPong = System.nanoTime();

    /**
     * @param target the URL connected to, for the status line
     * @param printer prints the messages received
     * @param err where pongs and errors are reported
     * @param echo true to send every message back instead of printing it
     */
    ConsoleListener(String target, MessagePrinter printer, PrintStream err, boolean echo) {
        this.target = target;
        this.printer = printer;
        this.err = err;
        this.echo = echo;
    }

    /** @return when the last pong arrived, in {@link System#nanoTime()} units; before any, when this listener was made */
    long lastPong() {
        return lastPong;
    }

    /** @return completes, never exceptionally, when the session has closed */
    CompletableFuture<Close> closed() {
        return closed;
    }

    /** Says so before any message is printed, since messages may follow the handshake at once. */
    @Override
    public void onOpen(Session session) {
        err.println("connected to " + target + describeAgreement(session)
                + (echo ? "; echoing every message" : ""));
    }

    @Override
    public void onText(Session session, String text) {
        if (echo) {
            session.sendText(text);
            pushBack(session);
        } else {
            printer.text(text);
        }
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        if (echo) {
            session.sendBinary(data);
            pushBack(session);
        } else {
            printer.binary(data);
        }
    }

    @Override
    public void onWritable(Session session) {
        session.resumeReading();
    }

    @Override
    public void onPong(Session session, ByteBuffer payload) {
        lastPong = System.nanoTime();
        if (payload.remaining() == Long.BYTES) {
            long micros = (System.nanoTime() - payload.getLong()) / 1000;
            err.println(String.format(Locale.ROOT, "pong after %.3f ms", micros / 1000.0));
        } else {
            err.println("pong");
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        this.error = error;
    }

    @Override
    public void onClose(Session session, int code, String reason) {
        Throwable e = error;
        String why = !reason.isEmpty() || e == null ? reason : e.getMessage() == null ? e.toString() : e.getMessage();
        Close close = new Close(code, why);
        // The reason is the server's: escaped whatever standard error is, as a status line for a person, which a
        // terminal would otherwise take its escape sequences from.
        err.println(ControlEscapes.escape("closed " + close.describe()));
        closed.complete(close);
    }

    private static String describeAgreement(Session session) {
        StringBuilder agreed = new StringBuilder();
        if (session.subprotocol() != null) {
            agreed.append("subprotocol ").append(session.subprotocol());
        }
        if (!session.extensions().isEmpty()) {
            agreed.append(agreed.length() == 0 ? "" : ", ").append("extensions ").append(session.extensions().stream()
                    .map(io.sockwave.protocol.extension.ExtensionOffer::toHeaderValue)
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        return agreed.length() == 0 ? "" : " (" + agreed + ")";
    }

    /** An echo client reads no faster than the server takes its echoes back. */
    private static void pushBack(Session session) {
        if (!session.isWritable()) {
            session.suspendReading();
        }
    }
}
