package io.sockwave.runtime;

import io.sockwave.protocol.handshake.HttpHeaders;

/**
 * Keeps a session's handshake headers as one string, {@code name:value} per line, instead of the two lists and two
 * strings per field of {@link HttpHeaders}: an open connection is meant to cost little memory, and the headers are
 * read rarely, so they are rebuilt on each read. Safe because names are tokens (no colon) and values hold no line
 * break, as {@link HttpHeaders#add} enforces.
 */
final class CompactHeaders {
    private CompactHeaders() {
    }

    static String pack(HttpHeaders headers) {
        StringBuilder out = new StringBuilder(64 * headers.size());
        headers.forEach((name, value) -> out.append(name).append(':').append(value).append('\n'));
        return out.toString();
    }

    static HttpHeaders unpack(String packed) {
        HttpHeaders headers = new HttpHeaders();
        int start = 0;
        while (start < packed.length()) {
            int end = packed.indexOf('\n', start);
            int colon = packed.indexOf(':', start);
            headers.add(packed.substring(start, colon), packed.substring(colon + 1, end));
            start = end + 1;
        }
        return headers;
    }
}
