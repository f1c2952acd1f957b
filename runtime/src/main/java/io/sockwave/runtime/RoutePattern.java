package io.sockwave.runtime;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A route's path pattern: literal segments, {@code {name}} segments that match any one non-empty segment, and an
 * optional trailing {@code *} that matches the rest of the path. Literals are compared with the percent-decoded
 * segments of the request path, so {@code /caf\u00e9} matches {@code /caf%C3%A9}; parameters are decoded too.
 * Immutable.
 */
final class RoutePattern implements Comparable<RoutePattern> {
    /** The name under which a prefix pattern gives the rest of the path. */
    static final String REST = "*";

    private final String text;
    /** Per segment: its literal text, or null for a parameter. */
    private final String[] literals;
    /** Per segment: the parameter's name, or null for a literal. */
    private final String[] names;
    private final boolean prefix;

    private RoutePattern(String text, String[] literals, String[] names, boolean prefix) {
        this.text = text;
        this.literals = literals;
        this.names = names;
        this.prefix = prefix;
    }

    /**
     * @param text e.g. {@code /chat}, {@code /rooms/{name}}, {@code /static/*}
     * @return the parsed pattern
     * @throws IllegalArgumentException saying what is wrong and where
     */
    static RoutePattern parse(String text) {
        if (!text.startsWith("/")) {
            throw invalid(text, "a route pattern starts with /");
        }
        if (text.equals("/")) {
            return new RoutePattern(text, new String[] {""}, new String[1], false);
        }
        String[] segments = text.substring(1).split("/", -1);
        boolean prefix = segments[segments.length - 1].equals("*");
        int count = prefix ? segments.length - 1 : segments.length;
        String[] literals = new String[count];
        String[] names = new String[count];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String segment = segments[i];
            if (segment.isEmpty()) {
                throw invalid(text, "empty segment " + (i + 1) + " (a pattern has no // and no trailing /)");
            }
            if (segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2) {
                String name = segment.substring(1, segment.length() - 1);
                if (!isName(name)) {
                    throw invalid(text, "parameter name " + name + " is not letters, digits and _");
                }
                if (!seen.add(name)) {
                    throw invalid(text, "parameter {" + name + "} appears twice");
                }
                names[i] = name;
            } else {
                checkLiteral(text, segment);
                literals[i] = segment;
            }
        }
        return new RoutePattern(text, literals, names, prefix);
    }

    private static void checkLiteral(String text, String segment) {
        if (RequestPath.isDotSegment(segment)) {
            throw invalid(text, "dot segment " + segment + " (no request path keeps one, RFC 3986 §5.2.4)");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '{' || c == '}') {
                throw invalid(text, "segment " + segment + " is neither a literal nor a whole {name}");
            }
            if (c == '*') {
                throw invalid(text, "* may only be the whole last segment, as in /static/*");
            }
            if (c == '%' || c == '?' || c == '#' || c <= ' ' || c == 0x7f) {
                throw invalid(text, "segment " + segment + " holds " + describe(c)
                        + "; write literals decoded, without query or fragment");
            }
        }
    }

    private static String describe(char c) {
        return c <= ' ' || c == 0x7f ? "a space or control character" : "'" + c + "'";
    }

    private static boolean isName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid route pattern \"" + text + "\": " + why);
    }

    /** @return whether the pattern has neither parameters nor a trailing {@code *} */
    boolean isExact() {
        if (prefix) {
            return false;
        }
        for (String name : names) {
            if (name != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param path the request path
     * @return the path parameters (the rest of the path under {@link #REST} for a prefix pattern), or null when the
     *     path does not match
     * @throws IllegalArgumentException if the pattern is a prefix and the rest of the path holds an encoded
     *     {@code /} (see {@link RequestPath#rest})
     */
    Map<String, String> match(RequestPath path) {
        List<String> segments = path.segments();
        if (prefix ? segments.size() < literals.length : segments.size() != literals.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < literals.length; i++) {
            String segment = segments.get(i);
            if (literals[i] != null) {
                if (!literals[i].equals(segment)) {
                    return null;
                }
            } else {
                if (segment.isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>(4);
                }
                params.put(names[i], segment);
            }
        }
        if (prefix) {
            if (params == null) {
                params = new LinkedHashMap<>(2);
            }
            params.put(REST, path.rest(literals.length));
        }
        return params == null ? Map.of() : Map.copyOf(params);
    }

    /**
     * The precedence rule: a pattern without {@code *} comes before one with it; among those with it, more
     * segments come first (the longer prefix); then, at the first segment where two patterns differ in kind, the
     * literal comes before the parameter.
     */
    @Override
    public int compareTo(RoutePattern other) {
        if (prefix != other.prefix) {
            return prefix ? 1 : -1;
        }
        if (prefix && literals.length != other.literals.length) {
            return Integer.compare(other.literals.length, literals.length);
        }
        int common = Math.min(literals.length, other.literals.length);
        for (int i = 0; i < common; i++) {
            boolean literal = literals[i] != null;
            if (literal != (other.literals[i] != null)) {
                return literal ? -1 : 1;
            }
        }
        return Integer.compare(literals.length, other.literals.length);
    }

    /** @return whether both patterns match exactly the same paths, whatever their parameters are called */
    boolean sameShape(RoutePattern other) {
        if (prefix != other.prefix || literals.length != other.literals.length) {
            return false;
        }
        for (int i = 0; i < literals.length; i++) {
            if (literals[i] == null ? other.literals[i] != null : !literals[i].equals(other.literals[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
