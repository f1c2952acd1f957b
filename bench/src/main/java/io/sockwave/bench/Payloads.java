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
        return jsonStream(count, 0);
    }

    /**
     * @param count how many messages
     * @param minBytes 0 for single chat objects; otherwise each message is a JSON array of consecutive objects of the
     *     stream, at least this long
     * @return distinct JSON messages: no object appears twice, as in a live stream
     */
    static java.util.List<String> jsonStream(int count, int minBytes) {
        if (minBytes == 0) {
            return chatObjects(count);
        }
        java.util.List<String> objects = chatObjects(count * (minBytes / 100 + 1));
        java.util.List<String> out = new java.util.ArrayList<>(count);
        int next = 0;
        for (int i = 0; i < count; i++) {
            StringBuilder array = new StringBuilder(minBytes + 200).append('[');
            while (array.length() < minBytes) {
                array.append(objects.get(next++)).append(',');
            }
            array.setCharAt(array.length() - 1, ']');
            out.add(array.toString());
        }
        return out;
    }

    private static java.util.List<String> chatObjects(int count) {
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
