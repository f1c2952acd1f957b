package io.sockwave.cli;

import io.sockwave.cli.bench.BenchCommand;
import io.sockwave.cli.connect.ConnectCommand;
import io.sockwave.cli.serve.ServeCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code sockwave} command: a WebSocket chat and echo server, an interactive client and a load generator. */
@Command(name = "sockwave", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A WebSocket (RFC 6455) server, client and load generator.",
        subcommands = {ServeCommand.class, ConnectCommand.class, BenchCommand.class, HelpCommand.class},
        footer = {"", "Run 'sockwave COMMAND --help' for a command's options."})
public final class Main implements Runnable {
    @Spec
    private CommandSpec spec;

    /**
     * Runs the command and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the configured command line, with output on the process's standard streams
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(StandardStreams.out(), true));
        cli.setErr(new PrintWriter(StandardStreams.err(), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("sockwave: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCodes.FAILURE;
        });
        return cli;
    }

    /** Without a subcommand, says what there is. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: serve, connect or bench");
    }

    /** The version the build wrote into {@code version.properties} (a filtered resource). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            String version = properties.getProperty("version");
            if (version == null || version.contains("${")) {
                throw new IOException("no version recorded: these classes were not built by Maven");
            }
            return new String[] {"sockwave " + version};
        }
    }
}
