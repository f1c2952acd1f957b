package io.sockwave.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sockwave --version} prints the version of the build that made it, never a string typed in the source. */
class MainVersionTest {
    @Test
    void versionIsTheProjectVersionOfTheBuild() {
        String expected = System.getProperty("sockwave.version");
        assertFalse(expected == null || expected.isBlank(), "surefire passes the POM's version");

        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));

        assertEquals(0, cli.execute("--version"));
        assertEquals("sockwave " + expected, out.toString().strip());
    }
}
