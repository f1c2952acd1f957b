package io.sockwave.cli.connect;

import io.sockwave.Client;
import io.sockwave.ClientOptions;
import io.sockwave.ForwardingListener;
import io.sockwave.Listener;
import io.sockwave.ReconnectPolicy;
import io.sockwave.ReconnectingSession;
import io.sockwave.Session;
import io.sockwave.cli.ExitCodes;
import io.sockwave.cli.FailureReasons;
import io.sockwave.cli.StandardStreams;
import io.sockwave.protocol.CloseCode;
import io.sockwave.protocol.handshake.RedactedUrl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sockwave connect URL}: an interactive or scripted client, or an echo client. */
@Command(name = "connect", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Connect to a WebSocket server: each line of standard input is sent as a text message and"
                + " each message received is printed on standard output (binary ones as [binary N bytes] HEX).",
            "At the end of standard input it sends close 1000 and waits for the server's close. Status, pongs and"
                    + " the close code and reason go to standard error."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:closed with 1000 (normal closure) or 1001 (going away)",
            "1:could not connect: refused, unknown host (the reason is printed)",
            "2:invalid options (a port past 65535, a proxy variable that is no proxy URL...)", "3:the connection ended otherwise: another close code, or dropped (1006)",
            "4:the server refused the opening handshake (its status is printed) or answered it wrongly",
            "5:TLS failure: untrusted certificate, wrong host name...",
            "6:the proxy refused the tunnel (its status or SOCKS reply is printed)",
            "7:timed out connecting, or a ping went unanswered within --ping-timeout (without --reconnect)"})
public final class ConnectCommand implements Callable<Integer> {
    /** The largest file {@code --binary} sends, since it is held in memory whole. */
    static final long MAX_BINARY_FILE = 64 << 20;
    /** What {@code --reconnect} holds while disconnected. */
    static final long RECONNECT_HOLD_BYTES = 8 << 20;

    @Mixin
    ConnectOptions options = new ConnectOptions();

    @Spec
    CommandSpec spec;

    private final PrintStream out = StandardStreams.out();
    private final PrintStream err = StandardStreams.err();

    @Override
    public Integer call() throws Exception {
        ClientOptions clientOptions;
        try {
            clientOptions = ClientOptionsFromFlags.build(options);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            err.println("sockwave connect: " + e.getMessage());
            return ExitCodes.TLS_FAILURE;
        }
        List<ByteBuffer> binaries = readBinaries();
        MessagePrinter printer = new MessagePrinter(out, StandardStreams.interactive(), options.raw,
                options.binaryStdin, options.timestamps, options.json,
                ControlEscapes.wanted(options.escape, StandardStreams.outIsTerminal()));
        ConsoleListener listener =
                new ConsoleListener(RedactedUrl.of(options.url.toString()), printer, err, options.echo);
        try (Client client = Client.create()) {
            if (options.reconnect) {
                return reconnecting(client, clientOptions, listener, binaries);
            }
            Session session;
            try {
                session = open(client, clientOptions, listener);
            } catch (ExecutionException e) {
                // The reason may quote the server (a status line, a header): see ConsoleListener#onClose.
                err.println(ControlEscapes.escape("sockwave connect: cannot connect to "
                        + RedactedUrl.of(options.url.toString()) + ": " + FailureReasons.describe(e.getCause())));
                return ConnectFailures.exitCode(e.getCause());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeOnInterrupt(session, listener),
                    "sockwave-connect-shutdown"));
            Pinger pinger = pinger(listener);
            if (pinger != null) {
                pinger.start(session);
            }
            try (pinger) {
                for (String text : options.send) {
                    session.sendText(text);
                }
                for (ByteBuffer data : binaries) {
                    session.sendBinary(data);
                }
                CompletableFuture<Void> inputEnded = options.echo ? new CompletableFuture<>()
                        : pumpInput(Outbox.of(session), listener.closed());
                CompletableFuture.anyOf(listener.closed(), inputEnded).join();
                if (!listener.closed().isDone()) {
                    finish(session, listener);
                }
            }
            ConsoleListener.Close close = listener.closed().join();
            if (pinger != null && pinger.timedOut()) {
                return ExitCodes.TIMEOUT;
            }
            return close.code() == CloseCode.NORMAL_CLOSURE || close.code() == CloseCode.GOING_AWAY
                    ? ExitCodes.OK : ExitCodes.ABNORMAL_CLOSE;
        }
    }

    /**
     * @return the session, open within {@code --connect-timeout} of this call
     * @throws ExecutionException with the reason the connect failed, a {@link TimeoutException} when time ran out
     */
    private Session open(Client client, ClientOptions clientOptions, ConsoleListener listener)
            throws ExecutionException, InterruptedException {
        CompletableFuture<Session> opening = asOption(() -> client.connect(options.url, clientOptions, listener));
        long millis = options.connectTimeout.toMillis();
        try {
            return opening.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The library gives the TCP connection this long and then TLS and the handshake as long again: the flag
            // bounds them together. Failing the future closes the socket; a session that opened meanwhile stands.
            opening.completeExceptionally(new TimeoutException("not connected within " + millis
                    + " ms (TCP, TLS and the opening handshake together)"));
            return opening.get();
        }
    }

    private CompletableFuture<Void> pumpInput(Outbox outbox, CompletableFuture<?> closed) {
        return options.binaryStdin ? BinaryStdinPump.start(outbox, closed, options.chunk)
                : StdinPump.start(outbox, closed);
    }

    /**
     * {@code --reconnect}: one session after another until input ends (then, once a session has taken what was held
     * for it, close 1000 and exit 0) or the policy gives up (exit 3, or 1 when no session ever opened).
     */
    private int reconnecting(Client client, ClientOptions clientOptions, ConsoleListener listener,
                             List<ByteBuffer> binaries) throws InterruptedException {
        Pinger pinger = pinger(listener);
        try (pinger) {
            return reconnecting(client, clientOptions, pinger == null ? listener : pinged(listener, pinger), binaries);
        }
    }

    /** Each session {@code --reconnect} opens keeps the ping schedule, from its own opening. */
    private static Listener pinged(ConsoleListener listener, Pinger pinger) {
        return new ForwardingListener(listener) {
            @Override
            public void onOpen(Session session) {
                super.onOpen(session);
                pinger.start(session);
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                pinger.stop(session);
                super.onClose(session, code, reason);
            }
        };
    }

    private int reconnecting(Client client, ClientOptions clientOptions, Listener listener,
                             List<ByteBuffer> binaries) throws InterruptedException {
        ReconnectPolicy.Builder policy = ReconnectPolicy.builder().holdWhileDisconnected(RECONNECT_HOLD_BYTES);
        if (options.reconnectMax != null) {
            asOption(() -> policy.maxTries(options.reconnectMax));
        }
        CompletableFuture<Void> opened = new CompletableFuture<>();
        ReconnectingSession session = asOption(() -> client.connectReconnecting(options.url, clientOptions,
                policy.build(), listener, status -> {
                    switch (status.state()) {
                        // OPEN is reported once the session has taken the messages held for it.
                        case OPEN -> opened.complete(null);
                        case RECONNECTING -> err.println(ControlEscapes.escape("reconnecting in "
                                + status.nextDelay().toMillis() + " ms (" + status.tries() + " failed tries): "
                                + status.reason()));
                        case GAVE_UP -> err.println(ControlEscapes.escape("sockwave connect: gave up: "
                                + status.reason()));
                        default -> {
                        }
                    }
                }));
        for (String text : options.send) {
            session.sendText(text);
        }
        for (ByteBuffer data : binaries) {
            session.sendBinary(data);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeOnInterrupt(session),
                "sockwave-connect-shutdown"));
        CompletableFuture<Void> inputEnded = options.echo ? new CompletableFuture<>()
                : pumpInput(Outbox.of(session), session.ended());
        CompletableFuture.anyOf(session.ended(), inputEnded).join();
        // Input may end before the first session opens: what it held goes out on that session, not to nowhere.
        CompletableFuture.anyOf(session.ended(), opened).join();
        if (!session.ended().isDone()) {
            if (!options.wait.isZero()) {
                Thread.sleep(options.wait.toMillis());
            }
            session.close();
            return ExitCodes.OK;
        }
        return opened.isDone() ? ExitCodes.ABNORMAL_CLOSE : ExitCodes.FAILURE;
    }

    /** Input has ended: wait as asked, then close normally and wait for the server's close. */
    private void finish(Session session, ConsoleListener listener) throws InterruptedException {
        try {
            if (!options.wait.isZero()) {
                listener.closed().get(options.wait.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
        } catch (TimeoutException | ExecutionException e) {
            // Waited the time asked: now close.
        }
        session.close(CloseCode.NORMAL_CLOSURE, "");
        try {
            // The runtime itself gives up after the close timeout; this only bounds the wait should it not.
            listener.closed().get(options.closeTimeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            session.abort();
        }
    }

    /**
     * Ctrl-C: say goodbye with 1001 (going away) and give the server 2 seconds to answer, counted once the close frame
     * is written: behind queued messages, or on a busy machine, writing it takes a while, and dropping the connection
     * before it is written would leave the server with 1006. The write waits {@code --close-timeout} at most.
     */
    private void closeOnInterrupt(Session session, ConsoleListener listener) {
        if (session.isOpen()) {
            CompletableFuture<Void> written = session.close(CloseCode.GOING_AWAY, "");
            try {
                written.get(options.closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
                listener.closed().get(2, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                session.abort();
            }
        }
    }

    /**
     * Runs a step that checks what the flags gave it (the URI, headers, subprotocols, the policy's numbers): what it
     * refuses is an invalid option, exit 2 with the usage, like what picocli itself refuses.
     */
    private <T> T asOption(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Ctrl-C with {@code --reconnect}: say goodbye with 1001 (going away) and stop reconnecting; as without it, the
     * close frame may take up to {@code --close-timeout} to be written and the server 2 seconds more to answer.
     */
    private void closeOnInterrupt(ReconnectingSession session) {
        try {
            session.close(CloseCode.GOING_AWAY, "")
                    .get(options.closeTimeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            // Exiting anyway: the server sees the connection drop.
        }
    }

    /** @return what sends {@code --ping}'s pings, or null when there are none */
    private Pinger pinger(ConsoleListener listener) {
        return options.ping == null || options.ping.isZero() ? null
                : new Pinger(options.ping, options.pingTimeout, listener, err);
    }

    private List<ByteBuffer> readBinaries() throws IOException {
        List<ByteBuffer> binaries = new ArrayList<>();
        for (Path file : options.binary) {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "--binary: no such file: " + file);
            }
            if (Files.size(file) > MAX_BINARY_FILE) {
                throw new ParameterException(spec.commandLine(), "--binary: " + file + " is larger than 64 MiB");
            }
            binaries.add(ByteBuffer.wrap(Files.readAllBytes(file)));
        }
        return binaries;
    }
}
