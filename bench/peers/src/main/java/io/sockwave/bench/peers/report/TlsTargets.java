package io.sockwave.bench.peers.report;

import io.sockwave.bench.peers.load.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Issue #20's wss:// targets, per server CPU-second like its other targets: Sockwave with the JDK's TLS against the
 * better Netty with the JDK's TLS (at least 1.0x), and Sockwave with a native provider (the better of Conscrypt and
 * tcnative behind an {@code SSLContext}) against the better Netty with {@code netty-tcnative} (at least 0.9x). A
 * server's TLS provider is in its kind: {@code sockwave} or {@code sockwave:jdk} has the JDK's,
 * {@code sockwave:conscrypt} Conscrypt, {@code sockwave:openssl} and {@code netty-epoll:openssl} tcnative (see
 * {@code run-peers.sh}).
 */
final class TlsTargets {
    private TlsTargets() {
    }

    /**
     * @param report the run
     * @return the four outcomes: 16 KiB echo and handshakes, JDK's TLS and native TLS
     */
    static List<Targets.Outcome> check(Report report) {
        List<Targets.Outcome> out = new ArrayList<>();
        for (String scenario : List.of(Scenarios.TLS_16K, Scenarios.TLS_HANDSHAKE)) {
            Metric metric = Metric.EFFICIENCY.stream().filter(m -> m.scenario().equals(scenario)).findFirst()
                    .orElseThrow();
            String what = scenario.equals(Scenarios.TLS_16K) ? "wss:// 16 KiB echo, MB" : "wss:// handshakes";
            out.add(pair(report, metric, kind -> kind.equals("sockwave") || kind.equals("sockwave:jdk"),
                    kind -> kind.startsWith("netty") && (!kind.contains(":") || kind.endsWith(":jdk")), 1.0,
                    "#20: " + what + " per server CPU-s, JDK TLS on both sides >= 1.0x Netty with the JDK's"));
            out.add(pair(report, metric, kind -> kind.equals("sockwave:conscrypt") || kind.equals("sockwave:openssl"),
                    kind -> kind.startsWith("netty") && kind.endsWith(":openssl"), 0.9,
                    "#20: " + what + " per server CPU-s, Sockwave with a native provider >= 0.9x Netty with tcnative"));
        }
        return out;
    }

    private static Targets.Outcome pair(Report report, Metric metric, Predicate<String> ours,
            Predicate<String> theirs, double factor, String target) {
        String sockwave = best(report, metric, ours);
        String netty = best(report, metric, theirs);
        if (sockwave == null || netty == null) {
            return new Targets.Outcome(target, "-", "no data");
        }
        double a = report.cell(sockwave, metric).median();
        double b = report.cell(netty, metric).median();
        double ratio = a / b;
        String measured = String.format(Locale.ROOT, "%s %s vs %s %s: %s", sockwave, Format.number(a), netty,
                Format.number(b), Format.ratio(ratio));
        return new Targets.Outcome(target, measured, ratio >= factor ? "met" : "MISSED");
    }

    /** @return the label, of those whose kind matches (the A/A twin left out), with the best median; or null */
    private static String best(Report report, Metric metric, Predicate<String> kind) {
        Lineup lineup = report.lineup();
        String best = null;
        for (String label : lineup.labels()) {
            double v = report.cell(label, metric).median();
            if (label.equals(lineup.aaTwin()) || !kind.test(lineup.kinds().get(label)) || !(v > 0)) {
                continue;
            }
            if (best == null || v > report.cell(best, metric).median()) {
                best = label;
            }
        }
        return best;
    }
}
