package io.sockwave.cli.serve;

import io.sockwave.cli.Units;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** The options of {@code sockwave serve}, kept apart from what the command does with them. */
final class ServeOptions {
    @Option(names = "--host", order = 1, paramLabel = "ADDRESS", showDefaultValue = Visibility.NEVER,
            description = "Address to listen on: an IPv4 address listens on IPv4 only (0.0.0.0 on every IPv4"
                    + " interface), an IPv6 address on IPv6 only, and :: on every interface, IPv4 and IPv6."
                    + " Default: every interface, IPv4 and IPv6.")
    String host;

    @Option(names = {"-p", "--port"}, order = 2, paramLabel = "PORT", defaultValue = "8000",
            description = "TCP port to listen on (0 picks a free one).")
    int port;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Tls tls;

    @Option(names = "--tls-client-ca", order = 6, paramLabel = "FILE", showDefaultValue = Visibility.NEVER,
            description = "Require client certificates (mutual TLS): a client must present one signed by a CA"
                    + " certificate of this PEM bundle, or its TLS handshake fails; needs --tls-cert or --keystore.")
    Path tlsClientCa;

    @Option(names = "--compression", negatable = true, showDefaultValue = Visibility.ALWAYS, defaultValue = "true", fallbackValue = "true",
            description = "Accept permessage-deflate compression (RFC 7692) when a client offers it; --no-compression turns it off.")
    boolean compression;

    @Option(names = "--origin", order = 7, paramLabel = "ORIGIN", showDefaultValue = Visibility.NEVER,
            description = "Accept browser connections only from this origin, such as https://example.com;"
                    + " repeatable. Requests without an Origin header (non-browser clients) are always accepted."
                    + " Default: any origin.")
    List<String> origins = new ArrayList<>();

    @Option(names = "--max-message", order = 8, paramLabel = "SIZE", defaultValue = "16MiB",
            converter = Units.SizeConverter.class,
            description = "Largest message accepted, such as 64k or 16MiB; a larger one is closed with 1009.")
    int maxMessage;

    @Option(names = "--idle-timeout", order = 9, paramLabel = "DURATION", defaultValue = "5m",
            converter = Units.DurationConverter.class,
            description = "Close connections silent for this long (such as 30s or 5m; 0 never).")
    Duration idleTimeout;

    @Option(names = "--keepalive", order = 9, paramLabel = "DURATION", defaultValue = "30s",
            converter = Units.DurationConverter.class,
            description = "Ping every connection this often and close one whose pong does not come within as long"
                    + " (1006): a client gone without a word (a dropped network) lets go of its chat name within twice"
                    + " this, and a quiet one stays open under --idle-timeout (0: no pings).")
    Duration keepAlive;

    @Option(names = "--echo-only", order = 10, defaultValue = "false",
            description = "Serve only the echo endpoint /echo: no chat room and no web page.")
    boolean echoOnly;

    @Option(names = "--redis", order = 11, paramLabel = "URI",
            description = "Share the chat rooms with every node given the same Redis (7 or later), such as"
                    + " redis://127.0.0.1:6379, or a primary found through Sentinel and followed across failovers,"
                    + " such as redis-sentinel://10.0.0.1:26379,10.0.0.2:26379#mymaster: members on any node see one"
                    + " log per room, and resume on any node. Default: rooms on this node only.")
    String redis;

    @Option(names = "--node-id", order = 12, paramLabel = "ID",
            description = "This node's name among the nodes sharing --redis, unique among them (letters, digits,"
                    + " '-', '_'); a restarted node may keep it. Default: random.")
    String nodeId;

    @Option(names = "--room-retention", order = 13, paramLabel = "DURATION",
            converter = Units.DurationConverter.class,
            description = "With --redis: how long a room without members keeps its log, and with it the reach of a"
                    + " resume with since (such as 30m or 24h); every node should use the same. Default: 24h.")
    Duration roomRetention;

    @Option(names = "--redis-wait-replicas", order = 13, paramLabel = "N",
            description = "With --redis: acknowledge a message, a join or a leave, and deliver an event, only once N"
                    + " replicas of the Redis primary have it (Redis WAIT, 1 s at most, else the message is refused),"
                    + " so that a failover loses nothing acknowledged. Default: once the primary has it.")
    Integer redisWaitReplicas;

    @Option(names = "--max-name-length", order = 13, paramLabel = "N", defaultValue = "24",
            description = "The longest chat name a client may choose with ?name=, in characters; a longer one is"
                    + " closed with 1008. Default: ${DEFAULT-VALUE}.")
    int maxNameLength;

    @Option(names = "--max-rooms-per-name", order = 13, paramLabel = "N", defaultValue = "64",
            description = "The most chat rooms one name may be in at once on this node; a join past it is closed"
                    + " with 1008. Default: ${DEFAULT-VALUE}.")
    int maxRoomsPerName;

    @Option(names = {"-q", "--quiet"}, order = 14, defaultValue = "false",
            description = "Do not log connections; only the start-up line and errors.")
    boolean quiet;

    /** TLS material: PEM files or a key store, not both. */
    static final class Tls {
        @ArgGroup(exclusive = false)
        Pem pem;

        @ArgGroup(exclusive = false)
        KeyStoreFile keyStore;
    }

    /** A certificate chain and its key, as PEM files. */
    static final class Pem {
        @Option(names = "--tls-cert", order = 3, paramLabel = "FILE", required = true,
                description = "Serve wss:// with this PEM certificate chain (leaf first); needs --tls-key.")
        Path certificate;

        @Option(names = "--tls-key", order = 4, paramLabel = "FILE", required = true,
                description = "The certificate's unencrypted PEM private key (PKCS#8, RSA or EC).")
        Path key;
    }

    /** A PKCS#12 or JKS key store. */
    static final class KeyStoreFile {
        @Option(names = "--keystore", order = 5, paramLabel = "FILE", required = true,
                description = "Serve wss:// with the key and chain in this PKCS#12 or JKS key store.")
        Path file;

        @Option(names = "--keystore-password", order = 6, paramLabel = "PASSWORD", arity = "0..1", interactive = true,
                defaultValue = "${env:SOCKWAVE_KEYSTORE_PASSWORD}", showDefaultValue = Visibility.NEVER,
                description = "The key store's password; default: the environment variable"
                        + " SOCKWAVE_KEYSTORE_PASSWORD, or asked for when given without a value.")
        char[] password;
    }
}
