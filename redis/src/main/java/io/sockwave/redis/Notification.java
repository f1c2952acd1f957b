package io.sockwave.redis;

import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomOffset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a room's pub/sub channel carries ({@code rooms.lua}, {@code add}): each event as it is appended, a header
 * {@code SEQ EPOCH KIND M I} and a newline, then the member's name ({@code M} bytes of UTF-8), the message id
 * ({@code I} bytes) and the text (the rest). Lengths in bytes, as Lua counts them, so that any name, id or text
 * comes through whole, newlines and all.
 */
final class Notification {
    private static final int HEADER_FIELDS = 5;

    private Notification() {
    }

    /** @return the event the message carries, or null if it is not of this form (another version's, or not ours) */
    static RoomEvent event(byte[] message) {
        int newline = -1;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            return null;
        }
        String[] header = new String(message, 0, newline, StandardCharsets.US_ASCII).split(" ", -1);
        if (header.length != HEADER_FIELDS) {
            return null;
        }
        try {
            long sequence = Long.parseLong(header[0]);
            RoomEvent.Kind kind = RoomEvent.Kind.valueOf(header[2].toUpperCase(Locale.ROOT));
            int memberBytes = Integer.parseInt(header[3]);
            int idBytes = Integer.parseInt(header[4]);
            int start = newline + 1;
            if (memberBytes < 0 || idBytes < 0 || (long) memberBytes + idBytes > message.length - start) {
                return null;
            }
            String member = new String(message, start, memberBytes, StandardCharsets.UTF_8);
            String messageId = new String(message, start + memberBytes, idBytes, StandardCharsets.UTF_8);
            int textStart = start + memberBytes + idBytes;
            String text = new String(message, textStart, message.length - textStart, StandardCharsets.UTF_8);
            return new RoomEvent(new RoomOffset(header[1], sequence), kind, member, text, messageId);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
