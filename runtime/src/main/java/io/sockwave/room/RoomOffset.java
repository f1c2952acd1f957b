package io.sockwave.room;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A position in a room's log: the log's epoch and the sequence number of an event in it. Sequence numbers start at
 * 1 and grow by one per event, so a client that holds the offset of the last event it received can ask for exactly
 * what follows. The epoch names one incarnation of the log: when the store loses a log (a Redis restarted without
 * persistence), the log starts again under a new epoch, and an offset of the old epoch can no longer be resumed.
 * Written as {@code EPOCH-SEQUENCE}, for instance {@code k3x9q2-42}.
 *
 * @param epoch the log's incarnation: 1 to 32 lower-case letters and digits
 * @param sequence the event's number in that incarnation, 1 or more; 0 means "before the first event"
 */
public record RoomOffset(String epoch, long sequence) {
    private static final Pattern EPOCH = Pattern.compile("[a-z0-9]{1,32}");

    /**
     * Checks the epoch's form here, so that an offset a client sent back is refused before it reaches a store.
     *
     * @param epoch the log's incarnation: 1 to 32 lower-case letters and digits
     * @param sequence the event's number in that incarnation, 0 or more
     * @throws NullPointerException if the epoch is null
     * @throws IllegalArgumentException if the epoch is not 1 to 32 lower-case letters and digits, or the sequence is
     *     negative
     */
    public RoomOffset {
        Objects.requireNonNull(epoch, "epoch");
        if (!EPOCH.matcher(epoch).matches()) {
            throw new IllegalArgumentException("an epoch is 1 to 32 lower-case letters and digits: " + epoch);
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("a sequence number is 0 or more: " + sequence);
        }
    }

    /**
     * Reads the form {@link #toString()} writes.
     *
     * @param text {@code EPOCH-SEQUENCE}, as a client sends back the offset of the last event it received
     * @return the offset the text names
     * @throws IllegalArgumentException if the text is not {@code EPOCH-SEQUENCE}
     */
    public static RoomOffset parse(String text) {
        int dash = text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new IllegalArgumentException("an offset is EPOCH-SEQUENCE, like k3x9q2-42: " + text);
        }
        long sequence;
        try {
            sequence = Long.parseLong(text.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an offset is EPOCH-SEQUENCE, like k3x9q2-42: " + text, e);
        }
        return new RoomOffset(text.substring(0, dash), sequence);
    }

    @Override
    public String toString() {
        return epoch + "-" + sequence;
    }
}
