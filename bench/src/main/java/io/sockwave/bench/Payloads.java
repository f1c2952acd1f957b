package io.sockwave.bench;

import java.nio.charset.StandardCharsets;

/** Benchmark payloads with fixed contents, so that runs compare. */
final class Payloads {
    /** A sentence of mixed scripts: Latin with accents, Greek, Cyrillic, CJK and an emoji; about half non-ASCII. */
    private static final String MIXED = "Grüße, κόσμε, мир, 世界 and 😀 — ";

    private Payloads() {
    }

    /** @return {@code size} bytes of printable ASCII */
    static byte[] ascii(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (' ' + i % 95);
        }
        return bytes;
    }

    /** @return exactly {@code size} bytes of valid mixed-script UTF-8; a code point cut by the end becomes spaces */
    static byte[] mixed(int size) {
        byte[] unit = MIXED.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[size];
        int at = 0;
        while (at < size) {
            int n = Math.min(unit.length, size - at);
            System.arraycopy(unit, 0, bytes, at, n);
            at += n;
        }
        // Replace a code point cut by the end with spaces, so the whole stays valid.
        int end = size;
        while (end > 0 && (bytes[end - 1] & 0xC0) == 0x80) {
            end--;
        }
        if (end > 0 && bytes[end - 1] < 0) {
            int lead = bytes[end - 1] & 0xFF;
            int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (end - 1 + length > size) {
                java.util.Arrays.fill(bytes, end - 1, size, (byte) ' ');
            }
        }
        return bytes;
    }

    /**
     * @param count how many messages
     * @return chat-like JSON objects with varied users, texts and numbers, as an application's stream would carry
     */
    static java.util.List<String> jsonStream(int count) {
        String[] users = {"alice", "bob", "carol", "dave", "erin"};
        String[] texts = {"hello everyone", "did you see the latest build?", "yes, the benchmarks look good",
            "lunch at noon?", "pushing the fix for the close handshake now", "ok"};
        java.util.Random random = new java.util.Random(7);
        java.util.List<String> out = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add("{\"type\":\"message\",\"id\":" + (100_000 + i) + ",\"from\":\"" + users[random.nextInt(users.length)]
                    + "\",\"text\":\"" + texts[random.nextInt(texts.length)] + "\",\"room\":\"general\",\"ts\":"
                    + (1_764_000_000_000L + random.nextInt(1_000_000)) + ",\"count\":" + (1 + random.nextInt(40)) + "}");
        }
        return out;
    }
}
