package io.sockwave.bench.peers.report;

/**
 * One figure of one round: a line of the results file, {@code round TAB label TAB scenario TAB metric TAB value}.
 * The load generator appends them as it goes, so a run cut short still leaves every finished cell on disk.
 *
 * @param round the round, from 1
 * @param label the server's label (its kind, or a second label of the same kind for the A/A check)
 * @param scenario the scenario's id
 * @param metric the figure's name
 * @param value the figure, NaN for a text entry
 * @param text the text of a {@link #FIRST_ERROR} entry, else null
 */
public record Sample(int round, String label, String scenario, String metric, double value, String text) {
    /** The metric name of the text entry describing a cell's first failure. */
    public static final String FIRST_ERROR = "first_error";

    /** @return the results-file line, ending with a newline */
    public String toLine() {
        String field = text != null ? text.replaceAll("[\\t\\r\\n]+", " ") : Double.toString(value);
        return round + "\t" + label + "\t" + scenario + "\t" + metric + "\t" + field + "\n";
    }

    /**
     * @param line a line written by {@link #toLine()}
     * @return the sample
     * @throws IllegalArgumentException if the line is malformed
     */
    public static Sample parse(String line) {
        String[] f = line.split("\t", 5);
        if (f.length != 5) {
            throw new IllegalArgumentException("malformed results line: " + line);
        }
        boolean isText = f[3].equals(FIRST_ERROR);
        return new Sample(Integer.parseInt(f[0]), f[1], f[2], f[3], isText ? Double.NaN : Double.parseDouble(f[4]),
                isText ? f[4] : null);
    }
}
