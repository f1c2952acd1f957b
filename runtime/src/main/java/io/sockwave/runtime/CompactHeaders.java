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
        int size = target.length() + 1;
        for (int i = 0; i < headers.size(); i++) {
            size += headers.name(i).length() + headers.value(i).length() + 2;
        }
        byte[] packed = new byte[size];
        int at = put(target, packed, 0);
        packed[at++] = '\n';
        for (int i = 0; i < headers.size(); i++) {
            at = put(headers.name(i), packed, at);
            packed[at++] = ':';
            at = put(headers.value(i), packed, at);
            packed[at++] = '\n';
        }
        return packed;
    }

    private static int put(String latin1, byte[] out, int at) {
        for (int i = 0; i < latin1.length(); i++) {
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
            int colon = text.indexOf(':', start);
            headers.add(text.substring(start, colon), text.substring(colon + 1, end));
            start = end + 1;
        }
        return headers;
    }
}
