package io.sockwave.bench.peers;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options of one subcommand. Every option must be read by the command (unknown ones are
 * reported, so a typo does not silently run with a default).
 */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> read = new HashSet<>();

    /**
     * @param args the command line
     * @param from the index of the first option, after the subcommand
     * @throws IllegalArgumentException if an argument is not a {@code --name value} pair
     */
    Args(String[] args, int from) {
        for (int i = from; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
    }

    String string(String name, String fallback) {
        read.add(name);
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String value = string(name, null);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    int integer(String name, int fallback) {
        String value = string(name, null);
        return value == null ? fallback : Integer.parseInt(value);
    }

    long longValue(String name, long fallback) {
        String value = string(name, null);
        return value == null ? fallback : Long.parseLong(value);
    }

    /** A duration in seconds, fractions allowed ({@code 0.5}). */
    Duration seconds(String name, Duration fallback) {
        String value = string(name, null);
        return value == null ? fallback : Duration.ofNanos((long) (Double.parseDouble(value) * 1e9));
    }

    /**
     * @throws IllegalArgumentException if an option was given that the command did not read
     */
    void checkAllRead() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unknown));
        }
    }
}
