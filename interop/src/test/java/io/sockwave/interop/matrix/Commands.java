package io.sockwave.interop.matrix;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The small text protocol between a driven client and a commanded echo server, and the messages both sides must
 * agree on. Every other message is echoed with its type. Servers of every implementation understand:
 * <ul>
 * <li>{@code !ping P}: the server pings with payload P and, when the pong comes, sends the text {@code !pong P};
 * <li>{@code !close CODE REASON}: the server starts the close handshake with that code and reason;
 * <li>{@code !fragments}: the server sends {@link #FRAGMENTED_TEXT} and then {@link #FRAGMENTED_BINARY}, each in
 * several fragments (the text cut as finely as its API allows, ideally inside a 4-byte code point).
 * </ul>
 */
public final class Commands {
    /** Text with 4-byte code points (U+1F600), cut in the middle of one when sent in fragments. */
    public static final String FRAGMENTED_TEXT = "fragmented \uD83D\uDE00 ".repeat(300);
    /** Binary sent in uneven fragments. */
    public static final byte[] FRAGMENTED_BINARY = Payload.binary(10_000).bytes();

    private Commands() {
    }

    /** @return {@link #FRAGMENTED_TEXT} in three pieces, the first ending inside the first surrogate pair */
    public static List<String> textPieces() {
        int cut = FRAGMENTED_TEXT.indexOf('\uD83D') + 1;
        return List.of(FRAGMENTED_TEXT.substring(0, cut), FRAGMENTED_TEXT.substring(cut, 2000),
                FRAGMENTED_TEXT.substring(2000));
    }

    /**
     * Moves a high surrogate that ends a piece to the start of the next, for peers whose API encodes each text
     * fragment on its own and so needs whole code points in each.
     *
     * @return the pieces, and whether any had to move
     */
    public static List<String> wholeCodePoints(List<String> pieces) {
        List<String> recut = new ArrayList<>();
        String carry = "";
        for (int i = 0; i < pieces.size(); i++) {
            String piece = carry + pieces.get(i);
            carry = "";
            if (i < pieces.size() - 1 && !piece.isEmpty()
                    && Character.isHighSurrogate(piece.charAt(piece.length() - 1))) {
                carry = piece.substring(piece.length() - 1);
                piece = piece.substring(0, piece.length() - 1);
            }
            recut.add(piece);
        }
        return recut;
    }

    /** @return the UTF-8 of {@link #FRAGMENTED_TEXT} in three pieces, the first ending after 2 of U+1F600's 4 bytes */
    public static List<byte[]> utf8Pieces() {
        byte[] all = FRAGMENTED_TEXT.getBytes(StandardCharsets.UTF_8);
        int cut = "fragmented ".length() + 2;
        return List.of(slice(all, 0, cut), slice(all, cut, 2000), slice(all, 2000, all.length));
    }

    /** @return {@link #FRAGMENTED_BINARY} in three uneven pieces */
    public static List<byte[]> binaryPieces() {
        byte[] all = FRAGMENTED_BINARY;
        return List.of(slice(all, 0, 1), slice(all, 1, 4000), slice(all, 4000, all.length));
    }

    private static byte[] slice(byte[] all, int from, int to) {
        byte[] piece = new byte[to - from];
        System.arraycopy(all, from, piece, 0, piece.length);
        return piece;
    }

    /** Splits a command's arguments: {@code !close 4001 bye now} gives [4001, "bye now"]. */
    static List<String> arguments(String command) {
        String rest = command.substring(command.indexOf(' ') + 1);
        List<String> args = new ArrayList<>();
        int space = rest.indexOf(' ');
        args.add(space < 0 ? rest : rest.substring(0, space));
        args.add(space < 0 ? "" : rest.substring(space + 1));
        return args;
    }
}
