package io.sockwave.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help the issue asks for: every option listed, with its default; usage errors exit with 2. */
class MainHelpTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** @return the help {@code args} print, after checking that asking for it succeeds */
    private String help(String... args) {
        assertEquals(0, run(args));
        return out.toString();
    }

    /**
     * Checks that {@code args} are a usage error whose message contains {@code expected}; standard error is cleared
     * first, so that a message printed by an earlier call cannot satisfy this one.
     */
    private void assertUsageError(String expected, String... args) {
        err.getBuffer().setLength(0);
        assertEquals(CommandLine.ExitCode.USAGE, run(args));
        assertTrue(err.toString().contains(expected), err.toString());
    }

    private void assertOption(String help, String option, String defaultValue) {
        // The option's own entry, not its mention in the synopsis: a line that starts with it.
        java.util.regex.Matcher entryStart = Pattern.compile("(?m)^\\s+(-\\w, )?" + Pattern.quote(option))
                .matcher(help);
        assertTrue(entryStart.find(), option + " missing from:\n" + help);
        if (defaultValue != null) {
            int at = entryStart.start();
            int next = help.indexOf("\n  -", at + 1);
            String entry = help.substring(at, next < 0 ? help.length() : next);
            assertTrue(entry.contains("Default: " + defaultValue), option + " lacks its default in:\n" + entry);
        }
    }

    @Test
    void serveHelpListsEveryOptionWithItsDefault() {
        String help = help("serve", "--help");
        assertOption(help, "--host=ADDRESS", null);
        assertOption(help, "--port=PORT", "8000");
        assertOption(help, "--tls-cert=FILE", null);
        assertOption(help, "--tls-key=FILE", null);
        assertOption(help, "--keystore=FILE", null);
        assertOption(help, "--keystore-password", null);
        assertOption(help, "--tls-client-ca=FILE", null);
        // Descriptions wrap where the widest option leaves them room: compared with their line breaks as spaces.
        String flowing = help.replaceAll("\\s+", " ");
        assertTrue(flowing.contains("Require client certificates (mutual TLS)"), help);
        assertTrue(flowing.contains("0.0.0.0 on every IPv4 interface), an IPv6 address on IPv6 only, and :: on every"
                + " interface, IPv4 and IPv6. Default: every interface, IPv4 and IPv6."), help);
        assertOption(help, "--origin=ORIGIN", null);
        assertTrue(flowing.contains("Default: any origin."), help);
        assertOption(help, "--max-message=SIZE", "16MiB");
        assertOption(help, "--idle-timeout=DURATION", "5m");
        assertOption(help, "--echo-only", null);
        assertOption(help, "--quiet", null);
        assertOption(help, "--[no-]compression", "true");
        assertTrue(help.contains("clients receive close 1001"));
    }

    @Test
    void connectHelpListsEveryOptionWithItsDefault() {
        String help = help("connect", "--help");
        for (String option : new String[] {"--header", "--subprotocol", "--send=TEXT", "--binary=FILE",
            "--ping=SECONDS", "--echo", "--insecure"}) {
            assertOption(help, option, null);
        }
        assertOption(help, "--wait=SECONDS", "0");
        assertOption(help, "--connect-timeout=DURATION", "10s");
        assertOption(help, "--close-timeout=DURATION", "5s");
        assertOption(help, "--max-message=SIZE", "64MiB");
        assertOption(help, "--[no-]compression", "true");
        assertTrue(Pattern.compile("3\\s+the connection ended otherwise").matcher(help).find(), help);
    }

    @Test
    void benchHelpListsEveryOptionWithItsDefault() {
        String help = help("bench", "--help");
        assertOption(help, "--connections=N", "4");
        assertOption(help, "--in-flight=N", "1");
        assertOption(help, "--size=SIZE", "64");
        assertOption(help, "--duration=DURATION", "10s");
        String words = help.replaceAll("\\s+", " ");
        assertTrue(words.contains("over all connections; 0, the default, for as many as the time allows."), help);
        assertTrue(words.contains("per second over all connections; 0, the default, for no limit."), help);
        for (String option : new String[] {"--messages=N", "--rate=MSG/S", "--binary", "--json=FILE",
            "--html=FILE", "--insecure", "--quiet"}) {
            assertOption(help, option, null);
        }
        assertOption(help, "--[no-]compression", "false");
    }

    @Test
    void topLevelHelpNamesTheCommands() {
        String help = help("--help");
        assertTrue(help.contains("serve") && help.contains("connect") && help.contains("bench"), help);
    }

    @Test
    void missingCommandIsAUsageError() {
        assertUsageError("Missing a command: serve, connect or bench");
    }

    @Test
    void outOfRangeValuesAreUsageErrorsNamingTheOption() {
        assertUsageError("--connections must be 1..10000", "bench", "ws://127.0.0.1:9/echo", "--connections", "0");
        assertUsageError("--duration must be more than 0 and at most 1h",
                "bench", "ws://127.0.0.1:9/echo", "--duration", "2h");
        assertUsageError("URL must start with ws:// or wss://", "bench", "http://127.0.0.1:9/echo");
        assertUsageError("must stay within 1GiB",
                "bench", "ws://127.0.0.1:9/echo", "-c", "10000", "--in-flight", "10", "--size", "16MiB");
        assertUsageError("'lots' is not a size", "bench", "ws://127.0.0.1:9/echo", "--size", "lots");
        assertUsageError("--port must be 0..65535", "serve", "--port", "70000");
        assertUsageError("--tls-key", "serve", "--tls-cert", "a.pem");
        assertUsageError("--tls-client-ca needs --tls-cert and --tls-key, or --keystore",
                "serve", "--port", "0", "--tls-client-ca", "ca.pem");
        assertUsageError("URL must start with ws:// or wss://", "connect", "http://127.0.0.1:9/");
        assertUsageError("expected 'NAME: VALUE', got 'no colon'", "connect", "ws://127.0.0.1:9/", "-H", "no colon");
        assertUsageError("--binary: no such file: /no/such/file",
                "connect", "ws://127.0.0.1:9/", "--binary", "/no/such/file");
    }

    /** 0 is "no limit" for both; a negative value of either is refused alike, naming what 0 means. */
    @Test
    void benchRateAndMessagesAreRefusedAlikeBelowZero() {
        assertUsageError("--rate must be 0 (no limit) or a positive number of messages per second, was -5.0",
                "bench", "ws://127.0.0.1:9/echo", "--rate", "-5");
        assertUsageError("--messages must be 0 (as many as the time allows) to 1000000000, was -1",
                "bench", "ws://127.0.0.1:9/echo", "-n", "-1");
    }

    /** A URL's password never reaches a usage error: picocli's own conversion quoted the URL whole, twice. */
    @Test
    void aMalformedUrlIsRefusedWithoutItsPassword() {
        for (String command : new String[] {"connect", "bench"}) {
            assertUsageError("invalid URL ws://alice:***@127.0.0.1:9/a b: Illegal character in path at index 31",
                    command, "ws://alice:secret@127.0.0.1:9/a b");
            assertFalse(err.toString().contains("secret"), err.toString());
        }
        assertUsageError("URL must start with ws:// or wss://, was http://alice:***@127.0.0.1:9/",
                "bench", "http://alice:secret@127.0.0.1:9/");
        assertFalse(err.toString().contains("secret"), err.toString());
    }
}
