package io.sockwave.runtime;

import io.sockwave.protocol.handshake.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a session's handshake request target and headers in one byte array: the target, then {@code name:value} per
 * line, in ISO-8859-1, instead of the two lists and two strings per field of {@link HttpHeaders}. An open connection
 * is meant to cost little memory, and these are read rarely, so they are rebuilt on each read. Lossless because a
 * target is ASCII, names are tokens (no colon), and values are ISO-8859-1 without line breaks, as
 * {@link HttpHeaders#add} enforces.
 *
 * <p>The start of a line that every WebSocket client sends, or most do ({@code Upgrade:websocket},
 * {@code Sec-WebSocket-Key:}), is written as one control byte that stands for it, which no line can otherwise begin
 * with, since a name is a token: a handshake's headers then take some 60 bytes rather than 130.
 */
final class CompactHeaders {
    /** Known line starts: a name, and the start of its value, as clients spell them. */
    private static final String[][] KNOWN = {
        {"Host", ""},
        {"Upgrade", "websocket"},
        {"Upgrade", ""},
        {"Connection", "Upgrade"},
        {"Connection", "keep-alive, Upgrade"},
        {"Connection", ""},
        {"Sec-WebSocket-Key", ""},
        {"Sec-WebSocket-Version", "13"},
        {"Sec-WebSocket-Version", ""},
        {"Sec-WebSocket-Extensions", "permessage-deflate"},
        {"Sec-WebSocket-Extensions", ""},
        {"Sec-WebSocket-Protocol", ""},
        {"Origin", "http"},
        {"User-Agent", ""},
        {"Pragma", "no-cache"},
        {"Cache-Control", "no-cache"},
        {"Accept-Encoding", ""},
        {"Accept-Language", ""},
        {"Cookie", ""},
        {"Authorization", ""},
    };
    /** The code of {@code KNOWN[i]} is {@code FIRST_CODE + i}: control bytes past the line feed, below a space. */
    private static final int FIRST_CODE = 0x0B;

    private CompactHeaders() {
    }

    static byte[] pack(String target, HttpHeaders headers) {
        int size = target.length() + 1;
        for (int i = 0; i < headers.size(); i++) {
            int known = known(headers.name(i), headers.value(i));
            size += known < 0
                    ? headers.name(i).length() + headers.value(i).length() + 2
                    : headers.value(i).length() - KNOWN[known][1].length() + 2;
        }
        byte[] packed = new byte[size];
        int at = put(target, 0, packed, 0);
        packed[at++] = '\n';
        for (int i = 0; i < headers.size(); i++) {
            int known = known(headers.name(i), headers.value(i));
            if (known < 0) {
                at = put(headers.name(i), 0, packed, at);
                packed[at++] = ':';
                at = put(headers.value(i), 0, packed, at);
            } else {
                packed[at++] = (byte) (FIRST_CODE + known);
                at = put(headers.value(i), KNOWN[known][1].length(), packed, at);
            }
            packed[at++] = '\n';
        }
        return packed;
    }

    /** @return the index of the longest known start of this line, or -1 */
    private static int known(String name, String value) {
        int best = -1;
        for (int i = 0; i < KNOWN.length; i++) {
            if (KNOWN[i][0].equals(name) && value.startsWith(KNOWN[i][1])
                    && (best < 0 || KNOWN[i][1].length() > KNOWN[best][1].length())) {
                best = i;
            }
        }
        return best;
    }

    private static int put(String latin1, int from, byte[] out, int at) {
        for (int i = from; i < latin1.length(); i++) {
            out[at++] = (byte) latin1.charAt(i);
        }
        return at;
    }

    static String target(byte[] packed) {
        int end = 0;
        while (packed[end] != '\n') {
            end++;
        }
        return new String(packed, 0, end, StandardCharsets.ISO_8859_1);
    }

    static HttpHeaders headers(byte[] packed) {
        String text = new String(packed, StandardCharsets.ISO_8859_1);
        HttpHeaders headers = new HttpHeaders();
        int start = text.indexOf('\n') + 1;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            int code = text.charAt(start) - FIRST_CODE;
            if (code >= 0 && code < KNOWN.length) {
                headers.add(KNOWN[code][0], KNOWN[code][1] + text.substring(start + 1, end));
            } else {
                int colon = text.indexOf(':', start);
                headers.add(text.substring(start, colon), text.substring(colon + 1, end));
            }
            start = end + 1;
        }
        return headers;
    }
}
