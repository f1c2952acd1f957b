package io.sockwave.cli.json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object built in insertion order and written compactly. The CLI only ever writes JSON (chat events, bench
 * reports), so this is a writer, not a parser; values are strings, numbers, booleans, nested objects and lists of them.
 */
public final class JsonObject {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Map<String, Object> members = new LinkedHashMap<>();

    /**
     * @param name the member name
     * @param value a {@link String}, {@link Number}, {@link Boolean}, {@link JsonObject} or {@link List} of those
     * @return this object
     * @throws IllegalArgumentException if the value has another type, or is a non-finite number
     */
    public JsonObject put(String name, Object value) {
        check(value);
        members.put(name, value);
        return this;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        write(this, out);
        return out.toString();
    }

    private static void check(Object value) {
        if (value instanceof List<?> list) {
            list.forEach(JsonObject::check);
        } else if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            throw new IllegalArgumentException("JSON has no representation for " + value);
        } else if (!(value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof JsonObject)) {
            throw new IllegalArgumentException("not a JSON value: " + value);
        }
    }

    private static void write(Object value, StringBuilder out) {
        if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof JsonObject o) {
            out.append('{');
            String separator = "";
            for (Map.Entry<String, Object> member : o.members.entrySet()) {
                out.append(separator);
                quote(member.getKey(), out);
                out.append(':');
                write(member.getValue(), out);
                separator = ",";
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(list.get(i), out);
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }

    /**
     * Writes a JSON string literal. Besides what RFC 8259 requires, {@code <}, {@code >}, {@code &} and the JavaScript
     * line terminators U+2028/U+2029 are escaped so the text stays inert when embedded in an HTML page.
     *
     * @param text the string to quote
     * @param out where the literal is appended
     */
    public static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        // by hand: String.format per character cost milliseconds of loop time per message
                        out.append("\\u")
                                .append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
