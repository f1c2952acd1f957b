package io.sockwave.bench.peers;

import java.util.Arrays;

/**
 * Entry point of the peer benchmark's jar, with four subcommands: {@code server} (run one server under test),
 * {@code load} (drive it through scenarios), {@code rate} (the fixed-rate latency scenario against several servers
 * taking turns) and {@code report} (turn the results into Markdown and JSON).
 * {@code bench/run-peers.sh} strings them together; see {@code bench/peers/README.md}.
 */
public final class PeersMain {
    private PeersMain() {
    }

    /**
     * @param args the subcommand, then its {@code --name value} options
     * @throws Exception if the subcommand fails
     */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        Args options = new Args(args, 1);
        switch (command) {
            case "server" -> ServerCommand.run(options);
            case "load" -> LoadCommand.run(options);
            case "rate" -> RateCommand.run(options);
            case "report" -> ReportCommand.run(options);
            default -> {
                System.err.println("usage: java -jar sockwave-bench-peers-all.jar server|load|rate|report --name value..."
                        + "\n(see bench/peers/README.md); got " + Arrays.toString(args));
                System.exit(2);
            }
        }
    }
}
