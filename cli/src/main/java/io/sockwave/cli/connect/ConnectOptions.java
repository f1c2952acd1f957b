package io.sockwave.cli.connect;

import io.sockwave.cli.Units;
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
    @Parameters(index = "0", paramLabel = "URL", description = "The ws:// or wss:// URL to connect to.")
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
            description = "Send a ping this often and report each pong's round trip on standard error.")
    Duration ping;

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
            description = "Give up connecting (TCP, TLS and handshake) after this long.")
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
