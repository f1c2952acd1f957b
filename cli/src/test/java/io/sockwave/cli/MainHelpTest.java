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
        assertEquals(0, run("serve", "--help"));
        String help = out.toString();
        assertOption(help, "--host=ADDRESS", "0.0.0.0");
        assertOption(help, "--port=PORT", "8000");
        assertOption(help, "--tls-cert=FILE", null);
        assertOption(help, "--tls-key=FILE", null);
        assertOption(help, "--keystore=FILE", null);
        assertOption(help, "--keystore-password", null);
        assertOption(help, "--origin=ORIGIN", null);
        assertTrue(help.contains("Default: any origin."));
        assertOption(help, "--max-message=SIZE", "16MiB");
        assertOption(help, "--idle-timeout=DURATION", "5m");
        assertOption(help, "--echo-only", null);
        assertOption(help, "--quiet", null);
        assertOption(help, "--[no-]compression", "true");
        assertTrue(help.contains("clients receive close 1001"));
    }

    @Test
    void connectHelpListsEveryOptionWithItsDefault() {
        assertEquals(0, run("connect", "--help"));
        String help = out.toString();
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
        assertEquals(0, run("bench", "--help"));
        String help = out.toString();
        assertOption(help, "--connections=N", "4");
        assertOption(help, "--in-flight=N", "1");
        assertOption(help, "--size=SIZE", "64");
        assertOption(help, "--duration=DURATION", "10s");
        assertTrue(help.contains("(default: as many as the time allows)"));
        assertTrue(help.contains("(default: no limit)"));
        for (String option : new String[] {"--messages=N", "--rate=MSG/S", "--binary", "--json=FILE",
            "--html=FILE", "--insecure", "--quiet"}) {
            assertOption(help, option, null);
        }
        assertOption(help, "--[no-]compression", "false");
    }

    @Test
    void topLevelHelpNamesTheCommands() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        assertTrue(help.contains("serve") && help.contains("connect") && help.contains("bench"), help);
    }

    @Test
    void missingCommandIsAUsageError() {
        assertEquals(CommandLine.ExitCode.USAGE, run());
        assertTrue(err.toString().contains("Missing a command: serve, connect or bench"), err.toString());
    }

    @Test
    void outOfRangeValuesAreUsageErrorsNamingTheOption() {
        assertEquals(CommandLine.ExitCode.USAGE, run("bench", "ws://127.0.0.1:9/echo", "--connections", "0"));
        assertTrue(err.toString().contains("--connections must be 1..10000"), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, run("bench", "ws://127.0.0.1:9/echo", "--duration", "2h"));
        assertTrue(err.toString().contains("--duration must be more than 0 and at most 1h"), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, run("bench", "http://127.0.0.1:9/echo"));
        assertTrue(err.toString().contains("URL must start with ws:// or wss://"), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, run("bench", "ws://127.0.0.1:9/echo", "-c", "10000", "--in-flight",
                "10", "--size", "16MiB"));
        assertTrue(err.toString().contains("must stay within 1GiB"), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, run("bench", "ws://127.0.0.1:9/echo", "--size", "lots"));
        assertTrue(err.toString().contains("'lots' is not a size"), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, run("serve", "--port", "70000"));
        assertTrue(err.toString().contains("--port must be 0..65535"), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, run("serve", "--tls-cert", "a.pem"));
        assertTrue(err.toString().contains("--tls-key"), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, run("connect", "http://127.0.0.1:9/"));
        assertTrue(err.toString().contains("URL must start with ws:// or wss://"), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, run("connect", "ws://127.0.0.1:9/", "-H", "no colon"));
        assertTrue(err.toString().contains("expected 'NAME: VALUE', got 'no colon'"), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, run("connect", "ws://127.0.0.1:9/", "--binary", "/no/such/file"));
        assertTrue(err.toString().contains("--binary: no such file: /no/such/file"), err.toString());
    }
}
