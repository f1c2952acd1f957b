package io.sockwave.cli.connect;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * How {@code connect} prints the messages it receives on standard output: decorated for a person ({@code < } on a
 * terminal, binary as {@code [binary N bytes] HEX}, optionally timestamped and with JSON indented), or raw (text
 * as is, one per line; binary as its bytes), which {@code --binary-stdin} uses for binary so that a file comes back
 * byte for byte. Escaped for a terminal ({@link ControlEscapes}), a message's control characters print visibly, and
 * binary printed as its bytes is decoded as UTF-8 first (a malformed byte becomes U+FFFD), since its bytes reach the
 * terminal as text would. Thread-safe: one message is printed whole before the next.
 */
final class MessagePrinter {
    private final PrintStream out;
    private final String prefix;
    private final boolean raw;
    private final boolean binaryRaw;
    private final boolean timestamps;
    private final boolean json;
    private final boolean escape;

    /**
     * @param out standard output
     * @param terminal whether a person reads it, which marks messages with {@code < }
     * @param raw no decoration at all
     * @param binaryRaw binary messages as their bytes, whatever else is decorated
     * @param timestamps prefix each decorated message with its arrival time
     * @param json indent JSON text messages
     * @param escape print control characters visibly, for a terminal
     */
    MessagePrinter(PrintStream out, boolean terminal, boolean raw, boolean binaryRaw, boolean timestamps,
                   boolean json, boolean escape) {
        this.out = out;
        this.prefix = terminal && !raw ? "< " : "";
        this.raw = raw;
        this.binaryRaw = raw || binaryRaw;
        this.timestamps = timestamps && !raw;
        this.json = json;
        this.escape = escape;
    }

    synchronized void text(String text) {
        String shown = json ? JsonPretty.format(text) : text;
        out.println(stamp() + prefix + (escape ? ControlEscapes.escape(shown) : shown));
    }

    synchronized void binary(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        if (binaryRaw && escape) {
            out.print(ControlEscapes.escape(new String(bytes, StandardCharsets.UTF_8)));
            out.flush();
        } else if (binaryRaw) {
            out.write(bytes, 0, bytes.length);
            out.flush();
        } else {
            out.println(stamp() + prefix + "[binary " + bytes.length + " bytes] " + HexFormat.of().formatHex(bytes));
        }
    }

    private String stamp() {
        return timestamps ? Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " : "";
    }

    boolean isRaw() {
        return raw;
    }
}
