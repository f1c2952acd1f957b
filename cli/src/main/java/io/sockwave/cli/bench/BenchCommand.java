package io.sockwave.cli.bench;

import io.sockwave.ClientOptions;
import io.sockwave.cli.Compression;
import io.sockwave.cli.ExitCodes;
import io.sockwave.cli.StandardStreams;
import io.sockwave.cli.tls.TlsContexts;
import io.sockwave.protocol.extension.ExtensionFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sockwave bench URL}: a load generator against an echo endpoint. */
@Command(name = "bench", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Load an echo endpoint (such as 'sockwave serve --echo-only') and measure it: each connection"
                + " keeps --in-flight messages awaiting their echo, and checks every echo's length and content.",
            "Progress goes to standard error, the report to standard output: throughput, latency percentiles"
                    + " (p50, p90, p99, p99.9, max) and errors."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every echo came back intact", "1:errors: failed connects, mismatched or missing echoes,"
                + " dropped connections", "2:invalid options"})
public final class BenchCommand implements Callable<Integer> {
    /** Beyond this, the messages in flight of all connections together would hold too much memory. */
    static final long MAX_BYTES_IN_FLIGHT = 1L << 30;

    @Mixin
    BenchOptions options = new BenchOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        BenchSettings settings;
        try {
            settings = options.settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        long perConnection = (long) settings.inFlight() * (settings.size() + 14L);
        if (perConnection * settings.connections() > MAX_BYTES_IN_FLIGHT) {
            throw new ParameterException(spec.commandLine(),
                    "--connections x --in-flight x --size must stay within 1GiB");
        }
        checkWritable(options.json, "--json");
        checkWritable(options.html, "--html");
        PrintStream err = StandardStreams.err();
        LoadGenerator run = new LoadGenerator(settings, clientOptions(settings, perConnection));
        err.println("bench " + settings.shownUrl() + ": " + settings.describe());
        BenchResult result;
        try (Progress progress = new Progress(run, err, StandardStreams.interactive(), settings.duration())) {
            result = options.quiet ? run.run(() -> { }) : run.run(progress::start);
        }
        StandardStreams.out().print(TextReport.of(result));
        write(options.json, JsonReport.of(result));
        write(options.html, HtmlReport.of(result, Instant.now()));
        return result.errors().total() == 0 && result.messages() > 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private ClientOptions clientOptions(BenchSettings settings, long bytesInFlight) {
        ClientOptions.Builder builder = ClientOptions.builder()
                .extensions(Compression.factories(settings.compression()).toArray(ExtensionFactory[]::new))
                // Never refuse a send the window allows: the window already bounds what is queued.
                .outboundBuffer(16 << 10, 64 << 10, Math.max(4L << 20, bytesInFlight + (64 << 10)));
        if (options.insecure) {
            builder.sslContext(TlsContexts.trustingEveryone())
                    .tlsParameters(parameters -> parameters.setEndpointIdentificationAlgorithm(null));
        }
        return builder.build();
    }

    /** Fails before the run rather than after it, when a report could not be written. */
    private void checkWritable(Path file, String option) {
        if (file == null) {
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file) || dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new ParameterException(spec.commandLine(), option + ": cannot write " + file);
        }
    }

    private static void write(Path file, String content) throws IOException {
        if (file != null) {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            StandardStreams.err().println("wrote " + file);
        }
    }
}
