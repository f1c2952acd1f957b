package io.sockwave.cli.connect;

/**
 * Indents JSON for {@code connect --json}: objects and arrays over several lines, two spaces a level, strings and
 * numbers untouched. It re-lays tokens without building a tree, so any size is one pass; text that is not a JSON
 * object or array, or whose brackets do not pair up, is returned unchanged. So is text that indentation would make
 * more than {@value #MAX_GROWTH} times longer, beyond {@value #SLACK} characters: indentation grows with depth, and a
 * server's message of brackets nested thousands deep, or of a run of commas, would otherwise print as gigabytes.
 */
final class JsonPretty {
    /** How many times its length indented text may take; ordinary JSON takes two to three. */
    static final int MAX_GROWTH = 8;
    /** Characters of indentation any text may take, so that a short message is indented however deep it nests. */
    static final int SLACK = 1 << 16;

    private JsonPretty() {}

    static String format(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || (trimmed.charAt(0) != '{' && trimmed.charAt(0) != '[')) {
            return text;
        }
        StringBuilder out = new StringBuilder(trimmed.length() * 2);
        StringBuilder open = new StringBuilder();
        boolean inString = false;
        long most = (long) MAX_GROWTH * trimmed.length() + SLACK;
        for (int i = 0; i < trimmed.length(); i++) {
            if (out.length() > most) {
                return text;
            }
            char c = trimmed.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < trimmed.length()) {
                    out.append(trimmed.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                case '{', '[' -> {
                    char close = c == '{' ? '}' : ']';
                    int next = nextNonSpace(trimmed, i + 1);
                    if (next < trimmed.length() && trimmed.charAt(next) == close) {
                        // An empty object or array stays on its line.
                        out.append(c).append(close);
                        i = next;
                    } else {
                        open.append(close);
                        out.append(c);
                        newline(out, open.length());
                    }
                }
                case '}', ']' -> {
                    if (open.isEmpty() || open.charAt(open.length() - 1) != c) {
                        return text;
                    }
                    open.setLength(open.length() - 1);
                    newline(out, open.length());
                    out.append(c);
                }
                case ',' -> {
                    out.append(c);
                    newline(out, open.length());
                }
                case ':' -> out.append(": ");
                case ' ', '\t', '\r', '\n' -> {
                    // Layout is ours.
                }
                default -> out.append(c);
            }
        }
        return open.isEmpty() && !inString ? out.toString() : text;
    }

    private static int nextNonSpace(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static void newline(StringBuilder out, int depth) {
        out.append('\n');
        out.append("  ".repeat(Math.max(0, depth)));
    }
}
