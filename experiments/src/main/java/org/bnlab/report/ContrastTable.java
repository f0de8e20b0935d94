package org.bnlab.report;

import org.bnlab.experiment.Contrast;
import org.bnlab.report.stats.MeanDifference;
import org.bnlab.report.stats.SampleSummary;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contrasts table ({@code contrasts.csv}): for each declared contrast and each combination of the varying
 * settings it does not name (seed aside), the treatment's and the baseline's mean final test accuracy (percent, sd,
 * n), their difference in percentage points with its 95% Welch interval, whether that interval includes zero, and
 * how many runs diverged on each side (a diverged run without a final accuracy is not in the means).
 */
final class ContrastTable {

    /** One comparison: a contrast within one setting of the other axes. */
    record Row(Contrast contrast, String setting, List<ReportRun> treatment, List<ReportRun> baseline,
               SampleSummary t, SampleSummary b, MeanDifference difference) {
        long treatmentDiverged() {
            return treatment.stream().filter(ReportRun::diverged).count();
        }

        long baselineDiverged() {
            return baseline.stream().filter(ReportRun::diverged).count();
        }
    }

    private ContrastTable() {
    }

    static List<Row> rows(ResultsFolder folder) {
        List<Row> rows = new ArrayList<>();
        for (Contrast contrast : folder.contrasts()) {
            List<String> others = folder.arms().stream()
                    .filter(p -> !contrast.treatment().containsKey(p) && !contrast.baseline().containsKey(p)).toList();
            Map<String, List<ReportRun>> treatment = bySetting(folder, contrast.treatment(), others);
            Map<String, List<ReportRun>> baseline = bySetting(folder, contrast.baseline(), others);
            for (Map.Entry<String, List<ReportRun>> side : treatment.entrySet()) {
                List<ReportRun> base = baseline.get(side.getKey());
                if (base == null) {
                    continue;
                }
                double[] a = finals(side.getValue());
                double[] b = finals(base);
                rows.add(new Row(contrast, side.getKey(), side.getValue(), base, SampleSummary.of(a),
                        SampleSummary.of(b), MeanDifference.of(a, b)));
            }
        }
        return rows;
    }

    static Table build(List<Row> rows) {
        StringColumn name = StringColumn.create("contrast");
        StringColumn setting = StringColumn.create("setting");
        DoubleColumn tMean = DoubleColumn.create("treatment_mean");
        DoubleColumn tSd = DoubleColumn.create("treatment_sd");
        IntColumn tN = IntColumn.create("treatment_n");
        IntColumn tDiverged = IntColumn.create("treatment_diverged");
        DoubleColumn bMean = DoubleColumn.create("baseline_mean");
        DoubleColumn bSd = DoubleColumn.create("baseline_sd");
        IntColumn bN = IntColumn.create("baseline_n");
        IntColumn bDiverged = IntColumn.create("baseline_diverged");
        DoubleColumn diff = DoubleColumn.create("difference_pts");
        DoubleColumn low = DoubleColumn.create("ci_low");
        DoubleColumn high = DoubleColumn.create("ci_high");
        BooleanColumn zero = BooleanColumn.create("ci_includes_zero");
        for (Row r : rows) {
            name.append(r.contrast().name());
            setting.append(r.setting());
            tMean.append(Numbers.round4(r.t().mean()));
            tSd.append(Numbers.round4(r.t().sd()));
            tN.append(r.t().n());
            tDiverged.append((int) r.treatmentDiverged());
            bMean.append(Numbers.round4(r.b().mean()));
            bSd.append(Numbers.round4(r.b().sd()));
            bN.append(r.b().n());
            bDiverged.append((int) r.baselineDiverged());
            diff.append(Numbers.round4(r.difference().difference()));
            low.append(Numbers.round4(r.difference().ciLow()));
            high.append(Numbers.round4(r.difference().ciHigh()));
            if (r.difference().hasInterval()) {
                zero.append(r.difference().includesZero());
            } else {
                zero.appendMissing();
            }
        }
        for (DoubleColumn c : List.of(tMean, tSd, bMean, bSd, low, high)) {
            c.setPrintFormatter(Numbers.formatter("0.00"));
        }
        diff.setPrintFormatter(Numbers.formatter("+0.00;-0.00"));
        List<Column<?>> columns = List.of(name, setting, tMean, tSd, tN, tDiverged, bMean, bSd, bN, bDiverged, diff,
                low, high, zero);
        return Table.create("Contrasts: treatment minus baseline, final test accuracy (points), 95% Welch CI",
                columns);
    }

    private static Map<String, List<ReportRun>> bySetting(ResultsFolder folder, Map<String, String> selector,
                                                          List<String> others) {
        Map<String, List<ReportRun>> groups = new LinkedHashMap<>();
        for (ReportRun run : folder.runs()) {
            if (run.matches(selector)) {
                String key = String.join(", ", others.stream()
                        .map(p -> folder.shortName(p) + "=" + run.value(p)).toList());
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
            }
        }
        return groups;
    }

    private static double[] finals(List<ReportRun> runs) {
        return runs.stream().mapToDouble(ReportRun::finalPercent).toArray();
    }
}
