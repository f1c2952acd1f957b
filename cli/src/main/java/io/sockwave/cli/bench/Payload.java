package io.sockwave.cli.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The messages one connection sends: printable ASCII (valid as text and as binary), different for each connection,
 * with the message's sequence number written in hex over its first bytes. An echo can then be checked byte for byte
 * without keeping a copy of what was sent, and an echo that comes back out of order, twice, or on the wrong
 * connection does not match.
 */
final class Payload {
    private static final byte[] ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int STAMP = 16;

    private final byte[] scratch;
    private final byte[] base;

    /**
     * @param size the payload size in bytes
     * @param connection the connection's number, which seeds its filler
     */
    Payload(int size, int connection) {
        base = new byte[size];
        Random filler = new Random(connection * 31L + size);
        for (int i = 0; i < size; i++) {
            base[i] = ALPHABET[filler.nextInt(ALPHABET.length)];
        }
        scratch = base.clone();
    }

    /** @return the payload of message {@code seq}, in a buffer reused by the next call */
    ByteBuffer bytes(long seq) {
        stamp(seq, scratch);
        return ByteBuffer.wrap(scratch);
    }

    /** @return the payload of message {@code seq} as text */
    String text(long seq) {
        byte[] copy = base.clone();
        stamp(seq, copy);
        return new String(copy, StandardCharsets.ISO_8859_1);
    }

    /**
     * @param seq the message the echo should repeat
     * @param echo the echo's payload
     * @return null when it matches, or what is wrong with it
     */
    String mismatch(long seq, ByteBuffer echo) {
        if (echo.remaining() != base.length) {
            return "expected " + base.length + " bytes, got " + echo.remaining();
        }
        for (int i = 0; i < base.length; i++) {
            if (echo.get(echo.position() + i) != expectedAt(seq, i)) {
                return "content differs from byte " + i;
            }
        }
        return null;
    }

    /** @see #mismatch(long, ByteBuffer) */
    String mismatch(long seq, String echo) {
        if (echo.length() != base.length) {
            return "expected " + base.length + " characters, got " + echo.length();
        }
        for (int i = 0; i < base.length; i++) {
            if (echo.charAt(i) != expectedAt(seq, i)) {
                return "content differs from character " + i;
            }
        }
        return null;
    }

    private byte expectedAt(long seq, int i) {
        int stamp = Math.min(STAMP, base.length);
        return i < stamp ? HEX[(int) (seq >>> (4 * (stamp - 1 - i))) & 0xF] : base[i];
    }

    private void stamp(long seq, byte[] target) {
        int stamp = Math.min(STAMP, target.length);
        for (int i = 0; i < stamp; i++) {
            target[i] = HEX[(int) (seq >>> (4 * (stamp - 1 - i))) & 0xF];
        }
    }
}
