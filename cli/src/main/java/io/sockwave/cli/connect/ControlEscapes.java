package io.sockwave.cli.connect;

/**
 * Control characters a server sent, made visible before they reach a terminal: a message carrying an escape sequence
 * could otherwise retitle the window, rewrite what is on the screen or, through OSC 52, write the clipboard. Every C0
 * control but tab and newline, DEL and every C1 control prints as {@code \xNN}, its code in two lowercase hex digits
 * ({@code ESC} as {@code \x1b}); everything else, a backslash included, prints as it came.
 */
final class ControlEscapes {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ControlEscapes() {
    }

    /**
     * @param flag {@code --escape} (true), {@code --no-escape} (false), or neither (null)
     * @param outIsTerminal whether standard output is a terminal
     * @return whether messages are escaped: as forced, else only on a terminal, so that bytes piped into another
     *     program or a file stay exact
     */
    static boolean wanted(Boolean flag, boolean outIsTerminal) {
        return flag != null ? flag : outIsTerminal;
    }

    /** @return the text with its control characters escaped; the same instance when it has none */
    static String escape(String text) {
        int first = 0;
        while (first < text.length() && !isEscaped(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder shown = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isEscaped(c)) {
                shown.append('\\').append('x').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                shown.append(c);
            }
        }
        return shown.toString();
    }

    /** C0 but tab and newline, DEL, C1. */
    private static boolean isEscaped(char c) {
        return c < 0x20 ? c != '\t' && c != '\n' : c >= 0x7F && c <= 0x9F;
    }
}
