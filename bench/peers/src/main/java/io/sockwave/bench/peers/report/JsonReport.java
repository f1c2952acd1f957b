package io.sockwave.bench.peers.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a run as JSON: machine, settings, every cell's summary and values, ratios, A/A check, targets, samples. */
public final class JsonReport {
    private JsonReport() {
    }

    /**
     * @param report the run
     * @param machine the machine's description
     * @param settings how the run was made
     * @return the JSON text
     */
    public static String write(Report report, Map<String, Object> machine, Map<String, String> settings) {
        Lineup lineup = report.lineup();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine);
        root.put("settings", settings);
        root.put("servers", lineup.kinds());
        root.put("baseline", lineup.baseline());

        Map<String, Object> aa = new LinkedHashMap<>();
        aa.put("original", lineup.aaOriginal());
        aa.put("twin", lineup.aaTwin());
        aa.put("tolerance", Report.AA_TOLERANCE);
        aa.put("passed", lineup.aaTwin() != null && report.aaFailures().isEmpty());
        List<Map<String, Object>> aaRows = new ArrayList<>();
        List<Map<String, Object>> ratios = new ArrayList<>();
        for (Metric m : Metric.HEADLINE) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scenario", m.scenario());
            row.put("metric", m.key());
            row.put("difference", report.aaDifference(m));
            row.put("agrees", report.aaAgrees(m));
            aaRows.add(row);
            for (String peer : lineup.peers()) {
                Map<String, Object> ratio = new LinkedHashMap<>();
                ratio.put("scenario", m.scenario());
                ratio.put("metric", m.key());
                ratio.put("higher_is_better", m.higherIsBetter());
                ratio.put("peer", peer);
                ratio.put("ratio", report.ratio(m, peer));
                Report.Paired paired = report.paired(m, peer);
                if (paired != null) {
                    ratio.put("paired_geometric_mean", paired.geometricMean());
                    ratio.put("paired_lower_rounds", paired.lower());
                    ratio.put("paired_rounds", paired.rounds());
                }
                ratios.add(ratio);
            }
        }
        aa.put("rows", aaRows);
        root.put("aa_check", aa);
        root.put("ratios", ratios);
        List<Map<String, Object>> targets = new ArrayList<>();
        for (Targets.Outcome o : Targets.check(report)) {
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("target", o.target());
            target.put("measured", o.measured());
            target.put("verdict", o.verdict());
            targets.add(target);
        }
        root.put("targets", targets);
        root.put("cells", report.allCells());
        List<Object> samples = new ArrayList<>();
        for (Sample s : report.results().samples()) {
            samples.add(List.of(s.round(), s.label(), s.scenario(), s.metric(),
                    s.text() != null ? s.text() : (Object) s.value()));
        }
        root.put("samples", samples);
        return Json.write(root);
    }
}
