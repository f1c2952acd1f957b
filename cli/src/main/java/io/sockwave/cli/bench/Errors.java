package io.sockwave.cli.bench;

/**
 * A run's errors by kind.
 *
 * @param mismatches echoes whose length or content differed from what was sent
 * @param connectFailures connections that could not be opened
 * @param dropped connections that closed or failed before the run ended
 * @param unanswered messages whose echo never came
 * @param first a description of the first error, or null when there was none
 */
public record Errors(long mismatches, long connectFailures, long dropped, long unanswered, String first) {
    /** @return the sum of all kinds */
    public long total() {
        return mismatches + connectFailures + dropped + unanswered;
    }
}
