package io.sockwave.cli.connect;

import io.sockwave.cli.Units;
import io.sockwave.cli.UrlConverter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of {@code sockwave connect}. */
final class ConnectOptions {
    @Parameters(index = "0", paramLabel = "URL", converter = UrlConverter.class, description = "The ws:// or wss:// URL to connect to.")
    URI url;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", showDefaultValue = Visibility.NEVER,
            description = "Add this header to the opening handshake; repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-s", "--subprotocol"}, paramLabel = "NAME", showDefaultValue = Visibility.NEVER,
            description = "Offer this subprotocol, most preferred first; repeatable.")
    List<String> subprotocols = new ArrayList<>();

    @Option(names = "--compression", negatable = true, showDefaultValue = Visibility.ALWAYS, defaultValue = "true", fallbackValue = "true",
            description = "Offer permessage-deflate compression (RFC 7692); --no-compression turns it off.")
    boolean compression;

    @Option(names = "--send", paramLabel = "TEXT", showDefaultValue = Visibility.NEVER,
            description = "Send this text message first, before standard input; repeatable.")
    List<String> send = new ArrayList<>();

    @Option(names = "--binary", paramLabel = "FILE", showDefaultValue = Visibility.NEVER,
            description = "Send this file's contents as one binary message, after --send; repeatable.")
    List<Path> binary = new ArrayList<>();

    @Option(names = "--ping", paramLabel = "SECONDS", converter = Units.DurationConverter.class,
            showDefaultValue = Visibility.NEVER,
            description = "Send a ping this often and report each pong's round trip on standard error; 0 sends"
                    + " none. With --reconnect, each new connection is pinged from its opening.")
    Duration ping;

    @Option(names = "--ping-timeout", paramLabel = "DURATION", converter = Units.DurationConverter.class,
            showDefaultValue = Visibility.NEVER,
            description = "With --ping: a ping not answered by a pong within this long closes with 1011 and"
                    + " exits with status 7; with --reconnect, connects again instead.")
    Duration pingTimeout;

    @Option(names = "--binary-stdin", defaultValue = "false",
            description = "Send standard input's bytes as binary messages of at most --chunk bytes, in order, and"
                    + " write received binary messages to standard output unchanged (escaped on a terminal, see"
                    + " --escape).")
    boolean binaryStdin;

    @Option(names = "--chunk", paramLabel = "SIZE", defaultValue = "64KiB", converter = Units.SizeConverter.class,
            description = "With --binary-stdin: the largest binary message sent (1 byte to 16MiB).")
    int chunk;

    @Option(names = "--raw", defaultValue = "false",
            description = "Print messages without decoration: text as is, one per line; binary as its bytes.")
    boolean raw;

    @Option(names = "--escape", negatable = true, showDefaultValue = Visibility.NEVER,
            description = "Print the control characters of messages received (all but tab and newline) as \\xNN,"
                    + " ESC as \\x1b, so that a server cannot send the terminal escape sequences; by default only"
                    + " when standard output is a terminal. --no-escape prints them as they came.")
    Boolean escape;

    @Option(names = "--timestamps", defaultValue = "false",
            description = "Prefix each message printed with the time it arrived (UTC, ISO 8601); ignored with --raw.")
    boolean timestamps;

    @Option(names = "--json", defaultValue = "false",
            description = "Pretty-print text messages that are JSON objects or arrays.")
    boolean json;

    @Option(names = "--origin", paramLabel = "ORIGIN", showDefaultValue = Visibility.NEVER,
            description = "Send this Origin header, as a browser page from that origin would.")
    String origin;

    @Option(names = "--proxy", paramLabel = "URL", showDefaultValue = Visibility.NEVER,
            description = "Connect through this proxy: http://[user:pass@]host[:port] (CONNECT) or"
                    + " socks5://[user:pass@]host[:port]. Without it, https_proxy, http_proxy, all_proxy and"
                    + " no_proxy are honoured as curl honours them.")
    String proxy;

    @Option(names = "--no-proxy", defaultValue = "false",
            description = "Connect directly, whatever the proxy environment variables say.")
    boolean noProxy;

    @Option(names = "--ca", paramLabel = "FILE", showDefaultValue = Visibility.NEVER,
            description = "Trust the CA certificates in this PEM file instead of the JVM's.")
    Path ca;

    @Option(names = "--cert", paramLabel = "FILE", showDefaultValue = Visibility.NEVER,
            description = "Present this client certificate chain (PEM, leaf first); needs --key.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", showDefaultValue = Visibility.NEVER,
            description = "The unencrypted private key (PEM) of --cert.")
    Path key;

    @Option(names = "--reconnect", defaultValue = "false",
            description = "Connect again, with jittered exponential backoff, whenever the connection ends other"
                    + " than by the end of input; lines typed while disconnected are held (up to 8 MiB).")
    boolean reconnect;

    @Option(names = "--reconnect-max", paramLabel = "N", showDefaultValue = Visibility.NEVER,
            description = "With --reconnect: give up after this many failed tries in a row.")
    Integer reconnectMax;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0", converter = Units.DurationConverter.class,
            description = "After standard input ends, keep receiving this long before closing.")
    Duration wait;

    @Option(names = "--echo", defaultValue = "false",
            description = "Echo client: ignore standard input and send every message received back unchanged"
                    + " (text as text, binary as binary) until the server closes.")
    boolean echo;

    @Option(names = {"-k", "--insecure"}, defaultValue = "false",
            description = "Accept any TLS certificate and host name (for self-signed test servers).")
    boolean insecure;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = Units.DurationConverter.class,
            description = "Give up connecting after this long: TCP (through a proxy, its tunnel), TLS and the opening"
                    + " handshake together. With --reconnect, each try gets this long for TCP, then as long again for"
                    + " TLS and the handshake.")
    Duration connectTimeout;

    @Option(names = "--close-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = Units.DurationConverter.class,
            description = "After sending close, wait this long for the server's close.")
    Duration closeTimeout;

    @Option(names = "--max-message", paramLabel = "SIZE", defaultValue = "64MiB",
            converter = Units.SizeConverter.class,
            description = "Largest message accepted from the server.")
    int maxMessage;
}
