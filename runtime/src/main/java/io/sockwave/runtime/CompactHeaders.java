package io.sockwave.runtime;

import io.sockwave.protocol.handshake.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a session's handshake request target and headers in one byte array: the target, then {@code name:value} per
 * line, in ISO-8859-1, instead of the two lists and two strings per field of {@link HttpHeaders}. An open connection
 * is meant to cost little memory, and these are read rarely, so they are rebuilt on each read. Lossless because a
 * target is ASCII, names are tokens (no colon), and values are ISO-8859-1 without line breaks, as
 * {@link HttpHeaders#add} enforces.
 */
final class CompactHeaders {
    private CompactHeaders() {
    }

    static byte[] pack(String target, HttpHeaders headers) {
        StringBuilder out = new StringBuilder(target.length() + 64 * headers.size());
        out.append(target).append('\n');
        headers.forEach((name, value) -> out.append(name).append(':').append(value).append('\n'));
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
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
            int colon = text.indexOf(':', start);
            headers.add(text.substring(start, colon), text.substring(colon + 1, end));
            start = end + 1;
        }
        return headers;
    }
}
