package io.sockwave.bench.peers.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who was measured: each server's label and kind in run order, which label is Sockwave (the baseline of every
 * ratio), and which label is the A/A twin (a second copy of another server, there only to check that two runs of
 * the same server agree).
 *
 * @param kinds label to server kind, in the order of the run's first round
 * @param baseline the label ratios are taken of
 * @param aaOriginal the label the twin copies, or null without an A/A check
 * @param aaTwin the twin's label, or null
 */
public record Lineup(Map<String, String> kinds, String baseline, String aaOriginal, String aaTwin) {
    /**
     * @param servers e.g. {@code sockwave netty-nio netty-epoll jetty netty-nio-aa=netty-nio}: labels, each with
     *     {@code =kind} when the label is not the kind's name; the first label whose kind appeared before is the
     *     A/A twin
     * @param baseline the baseline's label
     * @return the lineup
     * @throws IllegalArgumentException if the baseline is not among the servers
     */
    public static Lineup parse(String servers, String baseline) {
        Map<String, String> kinds = new LinkedHashMap<>();
        String original = null;
        String twin = null;
        for (String entry : servers.trim().split("\\s+")) {
            String[] parts = entry.split("=", 2);
            String label = parts[0];
            String kind = parts.length == 2 ? parts[1] : parts[0];
            if (twin == null && kinds.containsValue(kind)) {
                twin = label;
                original = kinds.entrySet().stream().filter(e -> e.getValue().equals(kind))
                        .findFirst().orElseThrow().getKey();
            }
            kinds.put(label, kind);
        }
        if (!kinds.containsKey(baseline)) {
            throw new IllegalArgumentException("baseline " + baseline + " is not among the servers " + servers);
        }
        return new Lineup(kinds, baseline, original, twin);
    }

    /** @return every label, in order */
    public List<String> labels() {
        return new ArrayList<>(kinds.keySet());
    }

    /** @return the labels Sockwave is compared with: all but the baseline and the A/A twin */
    public List<String> peers() {
        List<String> peers = labels();
        peers.remove(baseline);
        peers.remove(aaTwin);
        return peers;
    }

    /**
     * @param prefix a kind's prefix, e.g. {@code netty}
     * @return the peers whose kind starts with it
     */
    public List<String> peersOfKind(String prefix) {
        return peers().stream().filter(l -> kinds.get(l).startsWith(prefix)).toList();
    }
}
