package io.sockwave.bench.peers.report;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes maps, lists, strings, numbers, booleans and nulls as indented JSON; the report needs nothing more. */
final class Json {
    private Json() {
    }

    /**
     * @param value a tree of {@link Map} (string keys), {@link List}, {@link String}, {@link Number},
     *     {@link Boolean} and null
     * @return its JSON text
     */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.append('\n').toString();
    }

    private static void write(Object value, StringBuilder out, String indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Double d) {
            out.append(d.isNaN() || d.isInfinite() ? "null" : number(d));
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            container(map.entrySet().iterator(), '{', '}', out, indent, (e, inner) -> {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
                string(entry.getKey().toString(), out);
                out.append(": ");
                write(entry.getValue(), out, inner);
            });
        } else if (value instanceof List<?> list) {
            container(list.iterator(), '[', ']', out, indent, (e, inner) -> write(e, out, inner));
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private interface Element {
        void write(Object element, String indent);
    }

    private static void container(Iterator<?> items, char open, char close, StringBuilder out, String indent,
            Element element) {
        out.append(open);
        if (!items.hasNext()) {
            out.append(close);
            return;
        }
        String inner = indent + "  ";
        while (items.hasNext()) {
            out.append('\n').append(inner);
            element.write(items.next(), inner);
            if (items.hasNext()) {
                out.append(',');
            }
        }
        out.append('\n').append(indent).append(close);
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
