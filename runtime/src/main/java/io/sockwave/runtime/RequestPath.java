package io.sockwave.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A request path cut into segments at each {@code /} and percent-decoded, for matching against
 * {@link RoutePattern}s. Cutting before decoding keeps an encoded {@code %2F} inside its segment. A {@code .} or
 * {@code ..} segment, as sent or percent-encoded, is refused rather than matched as a name: it stands for another
 * path, and {@code /static/../admin} is not under {@code /static}.
 */
final class RequestPath {
    private final List<String> segments;

    private RequestPath(List<String> segments) {
        this.segments = segments;
    }

    /**
     * @param raw the path as sent, starting with {@code /}
     * @return the path cut and decoded
     * @throws IllegalArgumentException if a segment is not valid percent-encoded UTF-8, or is {@code .} or
     *     {@code ..}
     */
    static RequestPath parse(String raw) {
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (true) {
            int slash = raw.indexOf('/', start);
            int end = slash < 0 ? raw.length() : slash;
            String segment = UriDecoding.decode(raw.substring(start, end), false);
            if (isDotSegment(segment)) {
                throw new IllegalArgumentException("the path " + excerpt(raw) + " has a dot segment, which names"
                        + " another path (RFC 3986 §5.2.4)");
            }
            segments.add(segment);
            if (slash < 0) {
                return new RequestPath(segments);
            }
            start = slash + 1;
        }
    }

    /**
     * @param segment a decoded path segment, or a route pattern's literal
     * @return whether it is {@code .} or {@code ..}, which RFC 3986 §5.2.4 removes from a path
     */
    static boolean isDotSegment(String segment) {
        return segment.equals(".") || segment.equals("..");
    }

    private static String excerpt(String raw) {
        return raw.length() <= 64 ? raw : raw.substring(0, 64) + "...";
    }

    /** @return the decoded segments: {@code /} has one empty segment, {@code /a/} has {@code a} and an empty one */
    List<String> segments() {
        return segments;
    }

    /**
     * @param from the index of the first segment to keep
     * @return the decoded segments from that index joined by {@code /}; empty when there are none
     * @throws IllegalArgumentException if one of them holds a {@code /} (sent as {@code %2F}), which the joined
     *     text could not tell from a boundary
     */
    String rest(int from) {
        if (from >= segments.size()) {
            return "";
        }
        List<String> rest = segments.subList(from, segments.size());
        for (String segment : rest) {
            if (segment.indexOf('/') >= 0) {
                throw new IllegalArgumentException("an encoded / in " + segment + " would read as a segment"
                        + " boundary in the rest of a prefix route's path");
            }
        }
        return String.join("/", rest);
    }
}
