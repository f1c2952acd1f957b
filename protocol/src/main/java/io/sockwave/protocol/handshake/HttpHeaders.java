package io.sockwave.protocol.handshake;

import io.sockwave.protocol.extension.HttpTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The header fields of an HTTP/1.1 head, in the order they were written. Names compare ignoring ASCII case and a
 * name may appear more than once. Not thread-safe.
 *
 * <p>Lookups are linear scans: a head holds at most {@link io.sockwave.protocol.Limits#maxHandshakeHeaders()}
 * fields, so a map would cost more than it saves.
 */
public final class HttpHeaders {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    /** Creates an empty set of header fields. */
    public HttpHeaders() {
    }

    /**
     * Appends a field after the existing ones.
     *
     * @param name the field name, an RFC 7230 token
     * @param value the field value as it is written, without surrounding line breaks
     * @return this, to chain calls
     * @throws IllegalArgumentException if the name is not a token, or the value holds a control character other
     *     than horizontal tab (CR and LF above all, which would split the head) or a character beyond U+00FF that
     *     a header cannot carry
     * @throws NullPointerException if an argument is null
     */
    public HttpHeaders add(String name, String value) {
        if (!HttpTokens.isToken(name)) {
            throw new IllegalArgumentException("header name is not a token: '" + name + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isFieldValueChar(c)) {
                throw new IllegalArgumentException(
                        String.format("header %s: character U+%04X is not allowed in a value", name, (int) c));
            }
        }
        names.add(name);
        values.add(value);
        return this;
    }

    /**
     * @param name a field name, compared ignoring ASCII case
     * @return the value of the first field with that name, or null if there is none
     */
    public String first(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    /**
     * @param name a field name, compared ignoring ASCII case
     * @return the values of every field with that name, in order; empty when there is none
     */
    public List<String> all(String name) {
        List<String> found = new ArrayList<>(2);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                found.add(values.get(i));
            }
        }
        return found;
    }

    /**
     * @param name a field name, compared ignoring ASCII case
     * @return how many fields have that name
     */
    public int count(String name) {
        int n = 0;
        for (String each : names) {
            if (each.equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Reads the fields with that name as one comma-separated list (RFC 7230 §3.2.2, §7): elements are split at
     * commas across all fields, trimmed of spaces and tabs, and empty elements are dropped. Suits headers whose
     * elements never contain quoted commas, such as {@code Connection}, {@code Upgrade} and
     * {@code Sec-WebSocket-Protocol}.
     *
     * @param name a field name, compared ignoring ASCII case
     * @return the list elements in order; empty when there is none
     */
    public List<String> tokens(String name) {
        List<String> found = new ArrayList<>(4);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                splitList(values.get(i), found);
            }
        }
        return found;
    }

    /**
     * @param name a field name, compared ignoring ASCII case
     * @param token the list element to look for, compared ignoring ASCII case
     * @return whether any field with that name lists the token, as {@link #tokens(String)} splits them
     */
    public boolean containsToken(String name, String token) {
        for (String each : tokens(name)) {
            if (each.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param action called with each field's name and value, in order
     */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < names.size(); i++) {
            action.accept(names.get(i), values.get(i));
        }
    }

    /**
     * @param index a field's position, from 0 to {@link #size()} - 1
     * @return that field's name, as written
     * @throws IndexOutOfBoundsException if there is no such field
     */
    public String name(int index) {
        return names.get(index);
    }

    /**
     * @param index a field's position, from 0 to {@link #size()} - 1
     * @return that field's value, as written
     * @throws IndexOutOfBoundsException if there is no such field
     */
    public String value(int index) {
        return values.get(index);
    }

    /** @return how many fields there are */
    public int size() {
        return names.size();
    }

    /** Equal when both hold the same fields in the same order, names compared ignoring ASCII case. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpHeaders other) || other.size() != size()) {
            return false;
        }
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equalsIgnoreCase(other.names.get(i)) || !values.get(i).equals(other.values.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < names.size(); i++) {
            h = 31 * h + names.get(i).toLowerCase(Locale.ROOT).hashCode();
            h = 31 * h + values.get(i).hashCode();
        }
        return h;
    }

    /** @return the fields as they would be written, one {@code Name: value} per line */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        forEach((n, v) -> out.append(n).append(": ").append(v).append('\n'));
        return out.toString();
    }

    /** RFC 7230 §3.2: field-vchar, obs-text, SP and HTAB. */
    static boolean isFieldValueChar(char c) {
        return c == '\t' || c >= 0x20 && c != 0x7F && c <= 0xFF;
    }

    private static void splitList(String value, List<String> into) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int from = start;
            int to = end;
            while (from < to && isOws(value.charAt(from))) {
                from++;
            }
            while (to > from && isOws(value.charAt(to - 1))) {
                to--;
            }
            if (to > from) {
                into.add(value.substring(from, to));
            }
            start = end + 1;
        }
    }

    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
