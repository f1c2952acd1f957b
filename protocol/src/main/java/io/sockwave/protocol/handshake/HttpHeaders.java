package io.sockwave.protocol.handshake;

import io.sockwave.protocol.extension.HttpTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The header fields of an HTTP/1.1 head, in the order they were written. Names compare ignoring ASCII case and a
 * name may appear more than once. Not thread-safe.
 *
 * <p>Lookups are linear scans: a head holds at most {@link io.sockwave.protocol.Limits#maxHandshakeHeaders()}
 * fields, so a map would cost more than it saves. Names and values alternate in one array, sized for a typical
 * handshake, because every opening handshake builds two of these (request and response).
 */
public final class HttpHeaders {
    /**
     * Room for this many fields before the array grows: a 101 response has three to five, a non-browser client's
     * request about six; a browser's request (about a dozen) grows it once.
     */
    private static final int INITIAL_FIELDS = 8;

    /** Name of field i at 2i, its value at 2i + 1. */
    private String[] fields;
    private int size;

    /** Creates an empty set of header fields. */
    public HttpHeaders() {
        this(INITIAL_FIELDS);
    }

    /** @param expected how many fields there will be, when the caller knows: no room is allocated beyond them */
    HttpHeaders(int expected) {
        fields = new String[2 * Math.max(expected, 1)];
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
        checkValue(name, value);
        if (2 * size == fields.length) {
            fields = Arrays.copyOf(fields, 2 * fields.length);
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
        return this;
    }

    /**
     * @param name the field the value is for, named in the error
     * @param value a field value as it is written
     * @throws IllegalArgumentException as {@link #add} does for the value
     */
    static void checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isFieldValueChar(c)) {
                throw new IllegalArgumentException(
                        String.format("header %s: character U+%04X is not allowed in a value", name, (int) c));
            }
        }
    }

    /** Removes every field, keeping the room they took for the next ones. */
    void clear() {
        Arrays.fill(fields, 0, 2 * size, null);
        size = 0;
    }

    /**
     * @param name a field name, compared ignoring ASCII case
     * @return the value of the first field with that name, or null if there is none
     */
    public String first(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : value(i);
    }

    /**
     * @param name a field name, compared ignoring ASCII case
     * @return the values of every field with that name, in order, unmodifiable; empty when there is none
     */
    public List<String> all(String name) {
        // Most names appear once or not at all: those answers cost no list of their own.
        int first = indexOf(name, 0);
        if (first < 0) {
            return List.of();
        }
        int second = indexOf(name, first + 1);
        if (second < 0) {
            return List.of(value(first));
        }
        List<String> found = new ArrayList<>(4);
        for (int i = first; i >= 0; i = indexOf(name, i + 1)) {
            found.add(value(i));
        }
        return Collections.unmodifiableList(found);
    }

    private int indexOf(String name, int from) {
        for (int i = from; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param name a field name, compared ignoring ASCII case
     * @return how many fields have that name
     */
    public int count(String name) {
        int n = 0;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            n++;
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
     * @return the list elements in order, unmodifiable; empty when there is none
     */
    public List<String> tokens(String name) {
        int first = indexOf(name, 0);
        if (first < 0) {
            return List.of();
        }
        List<String> found = new ArrayList<>(4);
        for (int i = first; i >= 0; i = indexOf(name, i + 1)) {
            splitList(value(i), found);
        }
        return Collections.unmodifiableList(found);
    }

    /**
     * @param name a field name, compared ignoring ASCII case
     * @param token the list element to look for, compared ignoring ASCII case
     * @return whether any field with that name lists the token, as {@link #tokens(String)} splits them
     */
    public boolean containsToken(String name, String token) {
        // Scanned in place: every handshake asks this of Upgrade and Connection.
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (listsToken(value(i), token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean listsToken(String value, String token) {
        for (int start = 0; start <= value.length(); ) {
            int end = elementEnd(value, start);
            int from = trimStart(value, start, end);
            int to = trimEnd(value, from, end);
            if (to > from && to - from == token.length()
                    && value.regionMatches(true, from, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /**
     * @param action called with each field's name and value, in order
     */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(name(i), value(i));
        }
    }

    /**
     * @param index a field's position, from 0 to {@link #size()} - 1
     * @return that field's name, as written
     * @throws IndexOutOfBoundsException if there is no such field
     */
    public String name(int index) {
        return fields[2 * Objects.checkIndex(index, size)];
    }

    /**
     * @param index a field's position, from 0 to {@link #size()} - 1
     * @return that field's value, as written
     * @throws IndexOutOfBoundsException if there is no such field
     */
    public String value(int index) {
        return fields[2 * Objects.checkIndex(index, size) + 1];
    }

    /** @return how many fields there are */
    public int size() {
        return size;
    }

    /** Equal when both hold the same fields in the same order, names compared ignoring ASCII case. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpHeaders other) || other.size() != size()) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!name(i).equalsIgnoreCase(other.name(i)) || !value(i).equals(other.value(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size; i++) {
            h = 31 * h + name(i).toLowerCase(Locale.ROOT).hashCode();
            h = 31 * h + value(i).hashCode();
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
        for (int start = 0; start <= value.length(); ) {
            int end = elementEnd(value, start);
            int from = trimStart(value, start, end);
            int to = trimEnd(value, from, end);
            if (to > from) {
                into.add(value.substring(from, to));
            }
            start = end + 1;
        }
    }

    /** @return where the list element starting at {@code start} ends: at the next comma, or the value's end */
    private static int elementEnd(String value, int start) {
        int comma = value.indexOf(',', start);
        return comma < 0 ? value.length() : comma;
    }

    private static int trimStart(String value, int from, int to) {
        while (from < to && isOws(value.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String value, int from, int to) {
        while (to > from && isOws(value.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
