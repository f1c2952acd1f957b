package io.sockwave.bench.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} pairs of a command line; an unknown or valueless option is an error. */
final class Options {
    private final Map<String, String> values = new HashMap<>();

    Options(String[] args, int from) {
        for (int i = from; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value at " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
    }

    String text(String name, String fallback) {
        String value = values.remove(name);
        if (value == null && fallback == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value == null ? fallback : value;
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(text(name, Integer.toString(fallback)));
    }

    double number(String name, double fallback) {
        return Double.parseDouble(text(name, Double.toString(fallback)));
    }

    List<Integer> integers(String name, String fallback) {
        List<Integer> list = new ArrayList<>();
        for (String part : text(name, fallback).split(",")) {
            list.add(Integer.parseInt(part.trim()));
        }
        return list;
    }

    /** Fails on any option no one asked for, so that a typo is not silently ignored. */
    void finish() {
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + values.keySet());
        }
    }
}
