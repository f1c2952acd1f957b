package io.sockwave.cli.serve;

/**
 * What a chat client sent: either plain text, or a JSON object {@code {"id":"...","text":"..."}} whose id makes a
 * retry of the same message appended once. Only that object is read as JSON: anything else, including other JSON,
 * is plain text.
 *
 * @param id the client's message id, empty if none
 * @param text the message
 */
record ChatInput(String id, String text) {
    /** Longest message id: what the rooms' dedupe accepts. */
    static final int MAX_ID = 64;

    /** @return the message; an object with an over-long or invalid id is taken as plain text */
    static ChatInput parse(String message) {
        if (message.startsWith("{")) {
            ChatInput object = new Reader(message).object();
            if (object != null && object.id.length() <= MAX_ID) {
                return object;
            }
        }
        return new ChatInput("", message);
    }

    /** A reader of one flat object of string members (RFC 8259 §4, §7), null on anything else. */
    private static final class Reader {
        private final String in;
        private int at;

        Reader(String in) {
            this.in = in;
        }

        ChatInput object() {
            String id = "";
            String text = null;
            if (!take('{')) {
                return null;
            }
            do {
                String name = string();
                if (name == null || !take(':')) {
                    return null;
                }
                String value = string();
                if (value == null) {
                    return null;
                }
                switch (name) {
                    case "id" -> id = value;
                    case "text" -> text = value;
                    default -> {
                        return null;
                    }
                }
            } while (take(','));
            if (!take('}')) {
                return null;
            }
            skipSpace();
            return at == in.length() && text != null ? new ChatInput(id, text) : null;
        }

        private boolean take(char c) {
            skipSpace();
            if (at < in.length() && in.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void skipSpace() {
            while (at < in.length() && " \t\r\n".indexOf(in.charAt(at)) >= 0) {
                at++;
            }
        }

        private String string() {
            if (!take('"')) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            while (at < in.length()) {
                char c = in.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    return null;
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= in.length()) {
                    return null;
                }
                char escaped = in.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        int code = 0;
                        for (int end = at + 4; at < end; at++) {
                            int digit = at < in.length() ? Character.digit(in.charAt(at), 16) : -1;
                            if (digit < 0) {
                                return null;
                            }
                            code = code << 4 | digit;
                        }
                        out.append((char) code);
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return null;
        }
    }
}
