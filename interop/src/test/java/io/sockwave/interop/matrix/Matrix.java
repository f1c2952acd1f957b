package io.sockwave.interop.matrix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Outcomes recorded by the interop tests, and the Markdown table made of them. Rows and columns come in their enum
 * order and cells hold only what the tests recorded, so the same outcomes always give the same file. The tests of a
 * run record into {@link #RUN} through the static methods; a new instance is an empty table of its own.
 */
public final class Matrix {
    /** Where a complete table goes, relative to the interop module (the tests' working directory). */
    static final Path COMPLETE = Path.of("MATRIX.md");
    /** Where every table goes, complete or not. */
    static final Path LATEST = Path.of("target", "interop-matrix.md");

    /** The table this run's tests record into. */
    static final Matrix RUN = new Matrix();

    private final Map<Row, Map<Feature, Outcome>> outcomes = new EnumMap<>(Row.class);
    private final Map<Row, String> versions = new EnumMap<>(Row.class);

    /** Records one cell of this run; a later outcome for the same cell replaces an earlier one. */
    public static void record(Row row, Feature feature, Outcome outcome) {
        RUN.put(row, feature, outcome);
    }

    /** Records the version of the peer a row of this run ran against, shown beside its name. */
    public static void version(Row row, String version) {
        RUN.putVersion(row, version);
    }

    synchronized void put(Row row, Feature feature, Outcome outcome) {
        outcomes.computeIfAbsent(row, r -> new EnumMap<>(Feature.class)).put(feature, outcome);
    }

    synchronized void putVersion(Row row, String version) {
        versions.put(row, version);
    }

    /** @return whether every cell of every row has an outcome */
    synchronized boolean complete() {
        for (Row row : Row.values()) {
            Map<Feature, Outcome> cells = outcomes.get(row);
            if (cells == null || cells.size() != Feature.values().length) {
                return false;
            }
        }
        return true;
    }

    synchronized boolean empty() {
        return outcomes.isEmpty();
    }

    /** @return the table as Markdown, with the rows that have any outcome, and its numbered notes below */
    synchronized String render() {
        StringBuilder out = new StringBuilder();
        // Notes are numbered in the order they first appear, and a note shared by several cells keeps one number.
        List<String> notes = new ArrayList<>();
        out.append("<!-- Written by the interop tests (MatrixWriter) after a run of every row: do not edit. -->\n\n");
        out.append("| peer | peer's role |");
        for (Feature feature : Feature.values()) {
            out.append(' ').append(feature.title()).append(" |");
        }
        out.append("\n| --- | --- |");
        out.append(" --- |".repeat(Feature.values().length));
        out.append('\n');
        for (Row row : Row.values()) {
            Map<Feature, Outcome> cells = outcomes.get(row);
            if (cells == null) {
                continue;
            }
            String version = versions.get(row);
            out.append("| ").append(row.peer()).append(version == null ? "" : " " + version).append(" | ")
                    .append(row.role().name().toLowerCase(java.util.Locale.ROOT)).append(" |");
            for (Feature feature : Feature.values()) {
                Outcome outcome = cells.get(feature);
                out.append(' ').append(outcome == null ? "not run" : outcome.mark());
                if (outcome != null && outcome.hasNote()) {
                    int number = notes.indexOf(outcome.note()) + 1;
                    if (number == 0) {
                        notes.add(outcome.note());
                        number = notes.size();
                    }
                    out.append(" [").append(number).append(']');
                }
                out.append(" |");
            }
            out.append('\n');
        }
        out.append('\n');
        for (int i = 0; i < notes.size(); i++) {
            out.append(i + 1).append(". ").append(notes.get(i).replace("\n", " ")).append('\n');
        }
        return out.toString();
    }

    /** Writes the table to {@link #LATEST}, and to {@link #COMPLETE} when every row ran. */
    void write() throws IOException {
        if (empty()) {
            return;
        }
        String table = render();
        Files.createDirectories(LATEST.getParent());
        Files.writeString(LATEST, table, StandardCharsets.UTF_8);
        if (complete()) {
            Files.writeString(COMPLETE, table, StandardCharsets.UTF_8);
        }
    }
}
