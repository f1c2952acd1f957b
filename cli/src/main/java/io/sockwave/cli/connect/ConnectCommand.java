package io.sockwave.cli.connect;

import io.sockwave.Client;
import io.sockwave.ClientOptions;
import io.sockwave.Session;
import io.sockwave.cli.Compression;
import io.sockwave.cli.ExitCodes;
import io.sockwave.cli.FailureReasons;
import io.sockwave.cli.StandardStreams;
import io.sockwave.cli.tls.TlsContexts;
import io.sockwave.protocol.CloseCode;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.extension.ExtensionFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
            "1:could not connect: refused, TLS or handshake failure (the reason is printed)",
            "2:invalid options", "3:the connection ended otherwise: another close code, or dropped (1006)"})
public final class ConnectCommand implements Callable<Integer> {
    /** The largest file {@code --binary} sends, since it is held in memory whole. */
    static final long MAX_BINARY_FILE = 64 << 20;

    @Mixin
    ConnectOptions options = new ConnectOptions();

    @Spec
    CommandSpec spec;

    private final PrintStream out = StandardStreams.out();
    private final PrintStream err = StandardStreams.err();

    @Override
    public Integer call() throws Exception {
        ClientOptions clientOptions = clientOptions();
        List<ByteBuffer> binaries = readBinaries();
        ConsoleListener listener = new ConsoleListener(options.url.toString(), out, err, options.echo,
                StandardStreams.interactive());
        try (Client client = Client.create()) {
            Session session;
            try {
                session = client.connect(options.url, clientOptions, listener)
                        .get(options.connectTimeout.toMillis() * 3 + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                err.println("sockwave connect: cannot connect to " + options.url + ": "
                        + FailureReasons.describe(e instanceof ExecutionException ? e.getCause() : e));
                return ExitCodes.FAILURE;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeOnInterrupt(session, listener),
                    "sockwave-connect-shutdown"));
            ScheduledExecutorService pinger = startPinging(session);
            try {
                for (String text : options.send) {
                    session.sendText(text);
                }
                for (ByteBuffer data : binaries) {
                    session.sendBinary(data);
                }
                CompletableFuture<Void> inputEnded = options.echo ? new CompletableFuture<>()
                        : StdinPump.start(session, listener.closed());
                CompletableFuture.anyOf(listener.closed(), inputEnded).join();
                if (!listener.closed().isDone()) {
                    finish(session, listener);
                }
            } finally {
                if (pinger != null) {
                    pinger.shutdownNow();
                }
            }
            ConsoleListener.Close close = listener.closed().join();
            return close.code() == CloseCode.NORMAL_CLOSURE || close.code() == CloseCode.GOING_AWAY
                    ? ExitCodes.OK : ExitCodes.ABNORMAL_CLOSE;
        }
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

    /** Ctrl-C: say goodbye with 1001 (going away) and give the server a moment to answer. */
    private void closeOnInterrupt(Session session, ConsoleListener listener) {
        if (session.isOpen()) {
            session.close(CloseCode.GOING_AWAY, "");
            try {
                listener.closed().get(2, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                session.abort();
            }
        }
    }

    private ScheduledExecutorService startPinging(Session session) {
        if (options.ping == null || options.ping.isZero()) {
            return null;
        }
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sockwave-ping");
            t.setDaemon(true);
            return t;
        });
        long period = options.ping.toNanos();
        pinger.scheduleAtFixedRate(() -> session.ping(ByteBuffer.allocate(Long.BYTES).putLong(0, System.nanoTime())),
                period, period, TimeUnit.NANOSECONDS);
        return pinger;
    }

    private ClientOptions clientOptions() {
        String scheme = options.url.getScheme() == null ? "" : options.url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new ParameterException(spec.commandLine(), "URL must start with ws:// or wss://, was "
                    + options.url);
        }
        ClientOptions.Builder builder = ClientOptions.builder()
                .connectTimeout(options.connectTimeout)
                .handshakeTimeout(options.connectTimeout)
                .closeTimeout(options.closeTimeout)
                .subprotocols(options.subprotocols.toArray(String[]::new))
                .extensions(Compression.factories(options.compression).toArray(ExtensionFactory[]::new));
        try {
            builder.limits(Limits.DEFAULTS.withMaxMessageSize(options.maxMessage));
            for (String header : options.headers) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("expected 'NAME: VALUE', got '" + header + "'");
                }
                builder.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (options.insecure) {
            builder.sslContext(TlsContexts.trustingEveryone())
                    .tlsParameters(parameters -> parameters.setEndpointIdentificationAlgorithm(null));
        }
        return builder.build();
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
