package io.sockwave.cli.serve;

import io.sockwave.OutboundLimitPolicy;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.cli.Compression;
import io.sockwave.cli.ExitCodes;
import io.sockwave.cli.StandardStreams;
import io.sockwave.cli.tls.TlsContexts;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.redis.RedisRoomLog;
import io.sockwave.redis.ReplicaWait;
import io.sockwave.room.RoomLimits;
import io.sockwave.room.Rooms;
import java.io.IOException;
import java.net.UnknownHostException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sockwave serve}: the chat room, its web page and an echo endpoint, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Serve chat rooms at /chat (the lobby) and /chat/ROOM with their web page at /, and an echo"
                + " endpoint at /echo. With --redis, the rooms span every node given the same Redis.",
            "Logs one line per connection opened and closed. Ctrl-C (SIGINT) or SIGTERM shuts down gracefully:"
                    + " clients receive close 1001 (going away); with --redis, chat clients first receive 1012"
                    + " (service restart) in batches over 3 s, to resume on other nodes."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped by SIGTERM or SIGINT after a graceful shutdown",
            "1:the server could not start (port in use, unreadable TLS files, Redis unreachable)",
            "2:invalid options"})
public final class ServeCommand implements Callable<Integer> {
    /** How long a graceful shutdown waits for clients to answer the 1001 close. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** How long a clustered node spreads the 1012 closes of its chat clients over. */
    static final Duration DRAIN = Duration.ofSeconds(3);
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern REDIS_URI = Pattern.compile("rediss?(-sentinel)?://");

    @Mixin
    ServeOptions options = new ServeOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = StandardStreams.out();
        Rooms rooms;
        try {
            rooms = rooms();
        } catch (ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            StandardStreams.err().println("sockwave serve: cannot use Redis at " + options.redis + ": "
                    + e.getMessage());
            return ExitCodes.FAILURE;
        }
        ChatRoom chat = new ChatRoom(rooms, options.maxNameLength, options.keepAlive.multipliedBy(2));
        Server server = configure(out, chat).build();
        try {
            server.start();
        } catch (IOException e) {
            rooms.close();
            String why = e instanceof UnknownHostException ? "unknown host" : e.getMessage();
            StandardStreams.err().println("sockwave serve: cannot listen on " + listenHost(null) + ":" + options.port
                    + ": " + why);
            return ExitCodes.FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            if (options.redis != null) {
                out.println("shutting down: closing chat connections with 1012 (service restart) over "
                        + DRAIN.toSeconds() + " s, so they resume on the other nodes");
                try {
                    chat.drain(DRAIN);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            out.println("shutting down: closing connections with 1001 (going away)");
            server.shutdown(SHUTDOWN_GRACE);
            rooms.close();
            stopped.countDown();
        };
        // SIGTERM and SIGINT shut down here and exit 0; any other end of the JVM (SIGHUP...) runs the hook.
        StopSignals.handle(stop);
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "sockwave-shutdown"));
        out.println(banner(server.address()));
        // Until a signal comes the event loops do the work.
        stopped.await();
        return ExitCodes.OK;
    }

    /** @return the chat's rooms: on this node, or shared through Redis */
    private Rooms rooms() {
        if (options.maxNameLength < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--max-name-length must be at least 1, was " + options.maxNameLength);
        }
        if (options.maxRoomsPerName < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--max-rooms-per-name must be at least 1, was " + options.maxRoomsPerName);
        }
        RoomLimits limits = new RoomLimits(options.maxNameLength, options.maxRoomsPerName);
        if (options.redis == null) {
            if (options.nodeId != null) {
                throw new ParameterException(spec.commandLine(), "--node-id needs --redis");
            }
            if (options.roomRetention != null) {
                throw new ParameterException(spec.commandLine(), "--room-retention needs --redis");
            }
            if (options.redisWaitReplicas != null) {
                throw new ParameterException(spec.commandLine(), "--redis-wait-replicas needs --redis");
            }
            return Rooms.inProcess(limits);
        }
        String nodeId = options.nodeId == null ? Rooms.randomNodeId() : options.nodeId;
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new ParameterException(spec.commandLine(),
                    "--node-id must be 1 to 64 letters, digits, '-' or '_', was " + nodeId);
        }
        if (!REDIS_URI.matcher(options.redis).lookingAt()) {
            throw new ParameterException(spec.commandLine(), "--redis must be a redis://, rediss://,"
                    + " redis-sentinel:// or rediss-sentinel:// URI, was " + options.redis);
        }
        if (options.redisWaitReplicas != null && options.redisWaitReplicas < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--redis-wait-replicas must be at least 1, was " + options.redisWaitReplicas);
        }
        // Lettuce records Java Flight Recorder events unless told not to, and starting JFR costs seconds at start-up
        if (System.getProperty("io.lettuce.core.jfr") == null) {
            System.setProperty("io.lettuce.core.jfr", "false");
        }
        Duration retention = options.roomRetention == null ? RedisRoomLog.DEFAULT_RETENTION : options.roomRetention;
        if (retention.toMillis() < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--room-retention must be at least 1ms, was " + options.roomRetention);
        }
        RedisRoomLog log = options.redisWaitReplicas == null ? RedisRoomLog.connect(options.redis, retention)
                : RedisRoomLog.connect(options.redis, retention, ReplicaWait.of(options.redisWaitReplicas));
        return Rooms.on(log, nodeId, limits);
    }

    private Server.Builder configure(PrintStream out, ChatRoom chat) throws IOException {
        if (options.port < 0 || options.port > 0xFFFF) {
            throw new ParameterException(spec.commandLine(), "--port must be 0..65535, was " + options.port);
        }
        if (options.idleTimeout.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--idle-timeout must not be negative");
        }
        if (options.keepAlive.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--keepalive must not be negative");
        }
        Limits limits;
        try {
            // --max-message promises a message of that size, which a client may send as one frame.
            limits = Limits.DEFAULTS.withMaxMessageSize(options.maxMessage).withMaxFrameSize(options.maxMessage);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--max-message: " + e.getMessage());
        }
        if (options.tlsClientCa != null && options.tls == null) {
            throw new ParameterException(spec.commandLine(), "--tls-client-ca needs --tls-cert and --tls-key, or"
                    + " --keystore");
        }
        Server.Builder builder = Server.builder()
                .port(options.port)
                .tls(sslContext())
                .limits(limits)
                .idleTimeout(options.idleTimeout)
                .keepAlive(options.keepAlive, options.keepAlive)
                // An echo waits for at most one message beyond the high watermark (see EchoEndpoint); a chat
                // client that falls further behind is closed with 1008 rather than buffered without end.
                .outboundBuffer(16 << 10, 64 << 10, (4L << 20) + options.maxMessage)
                .outboundLimitPolicy(OutboundLimitPolicy.CLOSE)
                .extensions(Compression.factories(options.compression).toArray(ExtensionFactory[]::new));
        if (options.host != null) {
            builder.host(options.host);
        }
        if (options.tlsClientCa != null) {
            builder.tlsParameters(parameters -> parameters.setNeedClientAuth(true));
        }
        if (!options.origins.isEmpty()) {
            try {
                builder.allowedOrigins(options.origins);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--origin: " + e.getMessage());
            }
        }
        ConnectionLog log = new ConnectionLog(out, options.quiet);
        Listener echo = log.around(new EchoEndpoint());
        // "/" echoes too, so that tools given only ws://host:port (conformance suites among them) find the echo;
        // a plain GET of "/" still gets the chat page.
        builder.route("/echo", echo).route("/", echo);
        if (!options.echoOnly) {
            Listener chatEndpoint = log.around(chat);
            builder.route("/chat", chatEndpoint).route("/chat/{room}", chatEndpoint).httpHandler(new StaticSite());
        }
        return builder;
    }

    private SSLContext sslContext() throws IOException {
        if (options.tls == null) {
            return null;
        }
        if (options.tls.pem != null) {
            return TlsContexts.fromPem(options.tls.pem.certificate, options.tls.pem.key, options.tlsClientCa);
        }
        char[] password = options.tls.keyStore.password;
        return TlsContexts.fromKeyStore(options.tls.keyStore.file, password == null ? new char[0] : password,
                options.tlsClientCa);
    }

    /**
     * @param bound the address bound, or null if none was
     * @return the address listened on as given, bracketed if IPv6 and not yet; for the default, the wildcard of
     *     the family bound
     */
    private String listenHost(InetSocketAddress bound) {
        String host = options.host != null ? options.host
                : bound == null || bound.getAddress() instanceof Inet6Address ? "::" : "0.0.0.0";
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private String banner(InetSocketAddress address) {
        boolean tls = options.tls != null;
        String host = options.host == null || options.host.equals("0.0.0.0") || options.host.equals("::")
                ? "localhost" : listenHost(address);
        String authority = host + ":" + address.getPort();
        String ws = (tls ? "wss://" : "ws://") + authority;
        // As given, rather than as Java shows the bound address: a name as its address, :: as [0:0:0:0:0:0:0:0].
        String listening = "sockwave serve: listening on " + listenHost(address) + ":" + address.getPort();
        if (options.echoOnly) {
            return listening + "; echo at " + ws + "/echo and " + ws + "/";
        }
        return listening + "; chat page at " + (tls ? "https://" : "http://") + authority + "/, chat at " + ws
                + "/chat, echo at " + ws + "/echo";
    }
}
