package org.bnlab.report;

import org.bnlab.analysis.AnalysisFolder;
import org.bnlab.analysis.AnalysisRow;
import org.bnlab.experiment.Contrast;
import org.bnlab.experiment.Contrasts;
import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunSummary;
import org.bnlab.spec.EvalSpec;
import org.bnlab.report.stats.MeanDifference;
import org.bnlab.report.stats.SampleSummary;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The contrasts table ({@code contrasts.csv}): for each declared contrast and each combination of the varying
 * settings it does not name (seed aside), the metric it compares ({@link Contrast#METRICS}; the final test accuracy
 * by default), the treatment's and the baseline's mean of it (sd, n), their difference (percentage points for an
 * accuracy) with its 95% Welch interval, whether that interval includes zero, and
 * how many runs diverged on each side (a diverged run without a final accuracy is not in the means).
 */
final class ContrastTable {

    /**
     * One comparison: a contrast within one setting of the other axes. {@code treatmentWithout} and
     * {@code baselineWithout} count the runs of each side that did not diverge and still have no value of the metric
     * (not analysed in its mode, the target never reached).
     */
    record Row(Contrast contrast, String setting, List<ReportRun> treatment, List<ReportRun> baseline,
               SampleSummary t, SampleSummary b, MeanDifference difference, int treatmentWithout,
               int baselineWithout) {
        long treatmentDiverged() {
            return treatment.stream().filter(ReportRun::diverged).count();
        }

        long baselineDiverged() {
            return baseline.stream().filter(ReportRun::diverged).count();
        }
    }

    private ContrastTable() {
    }

    /**
     * The comparisons of every contrast ({@link org.bnlab.experiment.Contrasts#pairs}), each run measured in the
     * contrast's metric.
     *
     * @param dir            the results folder (the {@code analyze} metrics are read from its runs' folders)
     * @param targetAccuracy the target of {@code epochs_to_target} and {@code steps_to_target}, a fraction
     */
    static List<Row> rows(ResultsFolder folder, Path dir, double targetAccuracy) {
        List<Row> rows = new ArrayList<>();
        for (Contrast contrast : folder.contrasts()) {
            for (Contrasts.Pair<ReportRun> pair : Contrasts.pairs(contrast, folder.runs(), ReportRun::settings,
                    folder.arms(), folder.zipped(), folder::shortName)) {
                double[] a = values(contrast, pair.treatment(), dir, targetAccuracy);
                double[] b = values(contrast, pair.baseline(), dir, targetAccuracy);
                rows.add(new Row(contrast, pair.setting(), pair.treatment(), pair.baseline(), SampleSummary.of(a),
                        SampleSummary.of(b), MeanDifference.of(a, b), without(pair.treatment(), a),
                        without(pair.baseline(), b)));
            }
        }
        return rows;
    }

    /** The runs that did not diverge and have no value ({@code values[i]} NaN for {@code runs.get(i)}). */
    private static int without(List<ReportRun> runs, double[] values) {
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i]) && !runs.get(i).diverged()) {
                count++;
            }
        }
        return count;
    }

    /**
     * Why a run that did not diverge has no value of {@code metric}, e.g. {@code not analysed in the precise mode
     * (bnlab analyze <folder>, with precise in eval.modes)}.
     */
    static String whyWithout(String metric) {
        String mode = switch (metric) {
            case Contrast.PRECISE_ACCURACY -> EvalSpec.PRECISE;
            case Contrast.BATCH_ACCURACY -> EvalSpec.BATCH;
            case Contrast.ADABN_ACCURACY -> EvalSpec.ADABN;
            default -> null;
        };
        if (mode != null) {
            return "not analysed in the " + mode + " mode (bnlab analyze on the results folder, with " + mode
                    + " in eval.modes)";
        }
        return metric.endsWith("_to_target") ? "the target never reached" : "no value";
    }

    /** Each run's value of the contrast's metric; NaN where it has none (diverged, never reached, not analysed). */
    private static double[] values(Contrast contrast, List<ReportRun> runs, Path dir, double targetAccuracy) {
        return runs.stream().mapToDouble(r -> value(contrast.metric(), r, dir, targetAccuracy)).toArray();
    }

    static double value(String metric, ReportRun run, Path dir, double targetAccuracy) {
        RunSummary s = run.finished().summary();
        switch (metric) {
            case Contrast.FINAL_ACCURACY:
                return run.finalPercent();
            case Contrast.BEST_ACCURACY:
                return Numbers.percent(s.bestTestAccuracy());
            case Contrast.FINAL_LOSS:
                List<EpochMetrics> epochs = run.finished().epochs();
                return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).testLoss();
            case Contrast.EPOCHS_TO_TARGET:
                return run.finished().firstEpochReaching(targetAccuracy).map(m -> (double) m.epoch())
                        .orElse(Double.NaN);
            case Contrast.STEPS_TO_TARGET:
                Integer steps = RunsTable.stepsToTarget(run, targetAccuracy);
                return steps == null ? Double.NaN : steps;
            default:
                return analysed(metric, run, dir);
        }
    }

    /** An accuracy of {@code bnlab analyze} (percent), NaN when the run has not been analysed in that mode. */
    private static double analysed(String metric, ReportRun run, Path dir) {
        if (run.diverged()) {
            return Double.NaN;
        }
        AnalysisFolder folder = AnalysisFolder.of(dir.resolve(run.finished().summary().run()));
        List<AnalysisRow> rows = folder.readRows(EvalSpec.MODES);
        java.util.stream.Stream<AnalysisRow> chosen = switch (metric) {
            case Contrast.PRECISE_ACCURACY -> rows.stream().filter(r -> r.mode().equals(EvalSpec.PRECISE));
            case Contrast.BATCH_ACCURACY -> {
                int largest = rows.stream().filter(r -> r.mode().equals(EvalSpec.BATCH))
                        .mapToInt(AnalysisRow::testBatchSize).max().orElse(-1);
                yield rows.stream().filter(r -> r.mode().equals(EvalSpec.BATCH) && r.testBatchSize() == largest);
            }
            case Contrast.ADABN_ACCURACY -> rows.stream().filter(r -> r.mode().equals(EvalSpec.ADABN)
                    && !r.statistics().equals("source"));
            default -> throw new IllegalArgumentException("unknown metric " + metric);
        };
        return chosen.mapToDouble(AnalysisRow::accuracyPct).average().orElse(Double.NaN);
    }

    static Table build(List<Row> rows) {
        StringColumn name = StringColumn.create("contrast");
        StringColumn setting = StringColumn.create("setting");
        StringColumn metric = StringColumn.create("metric");
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
            metric.append(r.contrast().metric());
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
        List<Column<?>> columns = List.of(name, setting, metric, tMean, tSd, tN, tDiverged, bMean, bSd, bN, bDiverged, diff,
                low, high, zero);
        return Table.create("Contrasts: treatment minus baseline in the metric (accuracies: points), 95% Welch CI",
                columns);
    }

}
