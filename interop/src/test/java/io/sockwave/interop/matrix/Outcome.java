package io.sockwave.interop.matrix;

/**
 * What one peer and role did with one feature: it worked (✔), it failed (✗, with why), or the peer cannot do it
 * (n/a, with why). A note on a pass says how it was done where peers differ (e.g. "chars" for a fragment API that
 * cannot split a code point's bytes).
 */
public record Outcome(Kind kind, String note, String symptom) {
    /** The three cell values. */
    public enum Kind { PASS, FAIL, NOT_APPLICABLE }

    public static Outcome pass(String note) {
        return new Outcome(Kind.PASS, note, null);
    }

    public static Outcome fail(String reason) {
        return new Outcome(Kind.FAIL, reason, null);
    }

    /**
     * A peer's own bug, declared ahead.
     *
     * @param reason what goes wrong and where the peer's tracker (or code) shows it
     * @param symptom a piece of the failure's message that shows it is this bug and no other
     */
    public static Outcome peerBug(String reason, String symptom) {
        return new Outcome(Kind.FAIL, reason, symptom);
    }

    public static Outcome notApplicable(String reason) {
        return new Outcome(Kind.NOT_APPLICABLE, reason, null);
    }

    /** @return the cell's mark: ✔, ✗ or n/a */
    String mark() {
        return switch (kind) {
            case PASS -> "✔";
            case FAIL -> "✗";
            case NOT_APPLICABLE -> "n/a";
        };
    }

    /** @return whether the cell has a note to show */
    boolean hasNote() {
        return note != null && !note.isBlank();
    }
}
