package io.sockwave.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A request path cut into segments at each {@code /} and percent-decoded, for matching against
 * {@link RoutePattern}s. Cutting before decoding keeps an encoded {@code %2F} inside its segment.
 */
final class RequestPath {
    private final List<String> segments;

    private RequestPath(List<String> segments) {
        this.segments = segments;
    }

    /**
     * @param raw the path as sent, starting with {@code /}
     * @return the path cut and decoded
     * @throws IllegalArgumentException if a segment is not valid percent-encoded UTF-8
     */
    static RequestPath parse(String raw) {
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (true) {
            int slash = raw.indexOf('/', start);
            int end = slash < 0 ? raw.length() : slash;
            segments.add(UriDecoding.decode(raw.substring(start, end), false));
            if (slash < 0) {
                return new RequestPath(segments);
            }
            start = slash + 1;
        }
    }

    /** @return the decoded segments: {@code /} has one empty segment, {@code /a/} has {@code a} and an empty one */
    List<String> segments() {
        return segments;
    }

    /**
     * @param from the index of the first segment to keep
     * @return the decoded segments from that index joined by {@code /}; empty when there are none
     */
    String rest(int from) {
        return from >= segments.size() ? "" : String.join("/", segments.subList(from, segments.size()));
    }
}
