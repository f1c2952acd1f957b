package io.sockwave.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Appends one system's figures to the run's results file, one {@code system TAB key TAB value} line each, as they
 * are measured, so that a run cut short keeps what it measured.
 */
final class Results {
    private final Path file;
    private final String system;

    Results(Path file, String system) {
        this.file = file;
        this.system = system;
    }

    void put(String key, Object value) {
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(value);
        String line = system + "\t" + key + "\t" + text.replace('\t', ' ').replace('\n', ' ') + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print(line);
    }
}
