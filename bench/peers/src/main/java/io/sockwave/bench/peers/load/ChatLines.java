package io.sockwave.bench.peers.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A chat-like stream of JSON messages for the compression scenarios: each line distinct, 80 to 300 bytes, with a
 * room, a message id, a user name, a millisecond timestamp and a text of everyday words, so that deflate finds the
 * repetition a real chat has (keys, names, words) and not the one of a repeated payload.
 */
final class ChatLines {
    /** Shortest and longest line, in bytes. */
    static final int MIN_LENGTH = 80;
    static final int MAX_LENGTH = 300;

    private static final String[] ROOMS = {"general", "random", "dev", "support", "release-2026", "ops"};
    private static final String[] USERS = {"alice", "bob", "carol.k", "dave_99", "erin", "frank.m", "grace", "heidi",
        "ivan", "judy.w", "mallory", "niaj", "olivia_r", "peggy", "rupert", "sybil", "trent", "victor", "walter"};
    private static final String[] WORDS = ("the a to and is it that for on with this we you can be have will not "
            + "build deploy test merge review branch fix issue server client message socket latency release "
            + "tomorrow today meeting lunch coffee thanks please looks good me too why how when done yes no "
            + "maybe later morning afternoon ticket config logs error retry timeout restart cluster node").split(" ");

    private ChatLines() {
    }

    /**
     * @param count how many lines
     * @param seed seeds the content, so that runs are repeatable
     * @return {@code count} distinct lines of UTF-8 JSON (ASCII only), each 80 to 300 bytes long
     */
    static List<byte[]> generate(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> lines = new ArrayList<>(count);
        long timestamp = 1_764_687_600_000L;
        for (int id = 0; id < count; id++) {
            timestamp += 1 + random.nextInt(4000);
            String head = "{\"room\":\"" + ROOMS[random.nextInt(ROOMS.length)] + "\",\"id\":" + (100_000 + id)
                    + ",\"user\":\"" + USERS[random.nextInt(USERS.length)] + "\",\"ts\":" + timestamp
                    + ",\"text\":\"";
            int length = MIN_LENGTH + random.nextInt(MAX_LENGTH - MIN_LENGTH + 1);
            int textLength = length - head.length() - 2;
            StringBuilder text = new StringBuilder(textLength + 16);
            while (text.length() < textLength) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            text.setLength(textLength);
            lines.add((head + text + "\"}").getBytes(StandardCharsets.US_ASCII));
        }
        return lines;
    }
}
