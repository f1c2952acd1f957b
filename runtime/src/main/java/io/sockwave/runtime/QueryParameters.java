package io.sockwave.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a request query ({@code a=1&b=2&a=3}), decoded as HTML forms encode them: {@code +} is a space
 * and {@code %XX} escapes are UTF-8. A name without {@code =} has the empty value; empty pairs are skipped.
 */
final class QueryParameters {
    private QueryParameters() {
    }

    /**
     * @param query the query without its {@code ?}, or null for none
     * @return every parameter's values in the order they appear, names in order of first appearance; unmodifiable
     * @throws IllegalArgumentException if a name or value is not valid percent-encoded UTF-8
     */
    static Map<String, List<String>> parse(String query) {
        if (query == null || query.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            if (end > start) {
                int eq = query.indexOf('=', start);
                boolean valued = eq >= 0 && eq < end;
                String name = UriDecoding.decode(query.substring(start, valued ? eq : end), true);
                String value = valued ? UriDecoding.decode(query.substring(eq + 1, end), true) : "";
                params.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            entry.setValue(List.copyOf(entry.getValue()));
        }
        return Collections.unmodifiableMap(params);
    }
}
