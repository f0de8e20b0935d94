package org.bnlab.report;

import org.bnlab.analysis.AnalysisFolder;
import org.bnlab.analysis.AnalysisRow;
import org.bnlab.analysis.ModelOutputs;
import org.bnlab.analysis.PairMetrics;
import org.bnlab.experiment.Contrast;
import org.bnlab.io.AtomicFiles;
import org.bnlab.report.stats.SampleSummary;
import org.bnlab.spec.EvalSpec;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inference-phase tables of a results folder, from the runs' {@code analysis/} folders (written by
 * {@code bnlab analyze}); empty when no run has been analysed.
 *
 * <ul>
 *   <li>{@value #ANALYSIS_CSV}: one row per run and evaluation (the run's {@link AnalysisRow}s with its settings
 *       and seed);</li>
 *   <li>{@value #ANALYSIS_OVER_SEEDS_CSV}: per arm and evaluation, accuracy (percent) mean, sd, n and 95% Student t
 *       interval over seeds, mean ECE (percent) with its sd, mean confidence and loss;</li>
 *   <li>{@value #AGREEMENT_CSV}: per contrast (the experiment's, else BN vs no-BN) and seed, the treatment and
 *       baseline runs trained on the same data with the same seed and otherwise equal varying settings, compared on
 *       the running-mode test outputs ({@link PairMetrics}: agreement, both/only-one/neither right, mean KL in both
 *       directions, nats);</li>
 *   <li>{@value #AGREEMENT_OVER_SEEDS_CSV}: the same summarised over seeds.</li>
 * </ul>
 */
public final class AnalysisTables {

    public static final String ANALYSIS_CSV = "analysis.csv";
    public static final String ANALYSIS_OVER_SEEDS_CSV = "analysis-over-seeds.csv";
    public static final String AGREEMENT_CSV = "agreement.csv";
    public static final String AGREEMENT_OVER_SEEDS_CSV = "agreement-over-seeds.csv";

    private final Table rows;
    private final Table overSeeds;
    private final Table agreement;
    private final Table agreementOverSeeds;

    private AnalysisTables(Table rows, Table overSeeds, Table agreement, Table agreementOverSeeds) {
        this.rows = rows;
        this.overSeeds = overSeeds;
        this.agreement = agreement;
        this.agreementOverSeeds = agreementOverSeeds;
    }

    /** The tables of the results folder {@code dir}. */
    public static AnalysisTables build(Path dir) {
        return build(ResultsFolder.read(dir), dir);
    }

    static AnalysisTables build(ResultsFolder folder, Path dir) {
        List<String> arms = folder.arms();
        Table rows = Table.create("analysis");
        List<StringColumn> armColumns = new ArrayList<>();
        StringColumn run = StringColumn.create("run");
        arms.forEach(a -> armColumns.add(StringColumn.create(folder.shortName(a))));
        StringColumn seed = StringColumn.create("seed");
        StringColumn mode = StringColumn.create("mode");
        StringColumn statistics = StringColumn.create("statistics");
        IntColumn testBatch = IntColumn.create("test_batch_size");
        StringColumn shift = StringColumn.create("shift");
        IntColumn severity = IntColumn.create("severity");
        IntColumn images = IntColumn.create("images");
        DoubleColumn accuracy = DoubleColumn.create("accuracy_pct");
        DoubleColumn loss = DoubleColumn.create("loss");
        DoubleColumn confidence = DoubleColumn.create("mean_confidence_pct");
        DoubleColumn ece = DoubleColumn.create("ece_pct");
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        Map<String, List<String>> groupKeys = new LinkedHashMap<>();
        for (ReportRun r : folder.runs()) {
            if (r.diverged()) {
                continue;
            }
            AnalysisFolder analysis = AnalysisFolder.of(dir.resolve(r.finished().summary().run()));
            for (AnalysisRow row : analysis.readRows(EvalSpec.MODES)) {
                run.append(r.finished().summary().run());
                for (int a = 0; a < arms.size(); a++) {
                    armColumns.get(a).append(r.value(arms.get(a)));
                }
                seed.append(r.value(ResultsFolder.SEED));
                mode.append(row.mode());
                statistics.append(row.statistics());
                testBatch.append(row.testBatchSize());
                shift.append(row.shift());
                severity.append(row.severity());
                images.append(row.images());
                accuracy.append(Numbers.round4(row.accuracyPct()));
                loss.append(Numbers.round4(row.loss()));
                confidence.append(Numbers.round4(row.confidencePct()));
                ece.append(Numbers.round4(row.ecePct()));
                List<String> key = new ArrayList<>();
                arms.forEach(a -> key.add(r.value(a)));
                key.addAll(List.of(row.mode(), row.statistics(), Integer.toString(row.testBatchSize()), row.shift(),
                        Integer.toString(row.severity())));
                String k = String.join("\u0000", key);
                groupKeys.putIfAbsent(k, key);
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(new double[]{row.accuracyPct(), row.ecePct(),
                        row.confidencePct(), row.loss()});
            }
        }
        rows.addColumns(run);
        armColumns.forEach(rows::addColumns);
        rows.addColumns(seed, mode, statistics, testBatch, shift, severity, images, accuracy, loss, confidence, ece);
        Table overSeeds = overSeeds(folder, arms, groups, groupKeys);
        Table agreement = agreement(folder, dir);
        return new AnalysisTables(rows, overSeeds, agreement, agreementOverSeeds(agreement));
    }

    private static Table overSeeds(ResultsFolder folder, List<String> arms, Map<String, List<double[]>> groups,
                                   Map<String, List<String>> keys) {
        Table t = Table.create("analysis over seeds");
        List<StringColumn> keyColumns = new ArrayList<>();
        arms.forEach(a -> keyColumns.add(StringColumn.create(folder.shortName(a))));
        for (String name : AnalysisRow.KEY_COLUMNS) {
            keyColumns.add(StringColumn.create(name));
        }
        IntColumn n = IntColumn.create("n");
        DoubleColumn accMean = DoubleColumn.create("accuracy_mean");
        DoubleColumn accSd = DoubleColumn.create("accuracy_sd");
        DoubleColumn low = DoubleColumn.create("accuracy_ci_low");
        DoubleColumn high = DoubleColumn.create("accuracy_ci_high");
        DoubleColumn eceMean = DoubleColumn.create("ece_mean");
        DoubleColumn eceSd = DoubleColumn.create("ece_sd");
        DoubleColumn confMean = DoubleColumn.create("confidence_mean");
        DoubleColumn lossMean = DoubleColumn.create("loss_mean");
        for (Map.Entry<String, List<double[]>> g : groups.entrySet()) {
            List<String> key = keys.get(g.getKey());
            for (int i = 0; i < key.size(); i++) {
                String v = key.get(i);
                keyColumns.get(i).append(v.equals("0") && i >= arms.size() + 2 ? "" : v);
            }
            SampleSummary acc = SampleSummary.of(column(g.getValue(), 0));
            SampleSummary e = SampleSummary.of(column(g.getValue(), 1));
            n.append(acc.n());
            accMean.append(Numbers.round4(acc.mean()));
            accSd.append(Numbers.round4(acc.sd()));
            low.append(Numbers.round4(acc.ciLow()));
            high.append(Numbers.round4(acc.ciHigh()));
            eceMean.append(Numbers.round4(e.mean()));
            eceSd.append(Numbers.round4(e.sd()));
            confMean.append(Numbers.round4(SampleSummary.of(column(g.getValue(), 2)).mean()));
            lossMean.append(Numbers.round4(SampleSummary.of(column(g.getValue(), 3)).mean()));
        }
        keyColumns.forEach(t::addColumns);
        t.addColumns(n, accMean, accSd, low, high, eceMean, eceSd, confMean, lossMean);
        return t;
    }

    private static double[] column(List<double[]> values, int index) {
        return values.stream().mapToDouble(v -> v[index]).toArray();
    }

    private static Table agreement(ResultsFolder folder, Path dir) {
        StringColumn contrast = StringColumn.create("contrast");
        StringColumn setting = StringColumn.create("setting");
        StringColumn seed = StringColumn.create("seed");
        StringColumn treatment = StringColumn.create("treatment_run");
        StringColumn baseline = StringColumn.create("baseline_run");
        IntColumn images = IntColumn.create("images");
        DoubleColumn agree = DoubleColumn.create("agreement_pct");
        IntColumn both = IntColumn.create("both_right");
        IntColumn onlyT = IntColumn.create("only_treatment_right");
        IntColumn onlyB = IntColumn.create("only_baseline_right");
        IntColumn neither = IntColumn.create("neither_right");
        DoubleColumn klTB = DoubleColumn.create("kl_treatment_baseline");
        DoubleColumn klBT = DoubleColumn.create("kl_baseline_treatment");
        Map<String, Optional<ModelOutputs>> cache = new LinkedHashMap<>();
        for (Contrast c : folder.contrasts()) {
            for (org.bnlab.experiment.Contrasts.Pair<ReportRun> pair : org.bnlab.experiment.Contrasts.pairs(c,
                    folder.runs(), ReportRun::settings, folder.arms(), folder.zipped(), folder::shortName)) {
                for (ReportRun t : pair.treatment()) {
                    for (ReportRun b : pair.baseline()) {
                        if (t.diverged() || b.diverged()
                                || !b.value(ResultsFolder.SEED).equals(t.value(ResultsFolder.SEED))) {
                            continue;
                        }
                        Optional<ModelOutputs> pt = outputs(cache, dir, t);
                        Optional<ModelOutputs> pb = outputs(cache, dir, b);
                        if (pt.isEmpty() || pb.isEmpty()) {
                            continue;
                        }
                        PairMetrics m = PairMetrics.of(pt.get(), pb.get());
                        contrast.append(c.name());
                        setting.append(pair.setting());
                        seed.append(t.value(ResultsFolder.SEED));
                        treatment.append(t.finished().summary().run());
                        baseline.append(b.finished().summary().run());
                        images.append(m.images());
                        agree.append(Numbers.round4(100 * m.agreement()));
                        both.append(m.bothRight());
                        onlyT.append(m.onlyTreatmentRight());
                        onlyB.append(m.onlyBaselineRight());
                        neither.append(m.neitherRight());
                        klTB.append(Numbers.round4(m.klTreatmentBaseline()));
                        klBT.append(Numbers.round4(m.klBaselineTreatment()));
                    }
                }
            }
        }
        return Table.create("agreement", contrast, setting, seed, treatment, baseline, images, agree, both, onlyT,
                onlyB, neither, klTB, klBT);
    }

    private static Optional<ModelOutputs> outputs(Map<String, Optional<ModelOutputs>> cache, Path dir, ReportRun r) {
        String id = r.finished().summary().run();
        return cache.computeIfAbsent(id, k -> AnalysisFolder.of(dir.resolve(k)).readProbabilities());
    }

    private static Table agreementOverSeeds(Table agreement) {
        StringColumn contrast = StringColumn.create("contrast");
        StringColumn setting = StringColumn.create("setting");
        IntColumn n = IntColumn.create("n");
        Map<String, DoubleColumn[]> out = new LinkedHashMap<>();
        String[] metrics = {"agreement_pct", "both_right", "only_treatment_right", "only_baseline_right",
                "neither_right", "kl_treatment_baseline", "kl_baseline_treatment"};
        DoubleColumn agreeSd = DoubleColumn.create("agreement_sd");
        DoubleColumn agreeLow = DoubleColumn.create("agreement_ci_low");
        DoubleColumn agreeHigh = DoubleColumn.create("agreement_ci_high");
        List<DoubleColumn> means = new ArrayList<>();
        for (String m : metrics) {
            means.add(DoubleColumn.create(m.equals("agreement_pct") ? "agreement_mean" : m + "_mean"));
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < agreement.rowCount(); i++) {
            groups.computeIfAbsent(agreement.stringColumn("contrast").get(i) + "\u0000"
                    + agreement.stringColumn("setting").get(i), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> g : groups.values()) {
            contrast.append(agreement.stringColumn("contrast").get(g.get(0)));
            setting.append(agreement.stringColumn("setting").get(g.get(0)));
            n.append(g.size());
            for (int k = 0; k < metrics.length; k++) {
                String m = metrics[k];
                double[] v = g.stream().mapToDouble(i -> ((Number) agreement.column(m).get(i)).doubleValue())
                        .toArray();
                SampleSummary s = SampleSummary.of(v);
                means.get(k).append(Numbers.round4(s.mean()));
                if (k == 0) {
                    agreeSd.append(Numbers.round4(s.sd()));
                    agreeLow.append(Numbers.round4(s.ciLow()));
                    agreeHigh.append(Numbers.round4(s.ciHigh()));
                }
            }
        }
        Table t = Table.create("agreement over seeds", contrast, setting, n, means.get(0), agreeSd, agreeLow,
                agreeHigh);
        means.subList(1, means.size()).forEach(t::addColumns);
        return t;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public Table rows() {
        return rows;
    }

    public Table overSeeds() {
        return overSeeds;
    }

    public Table agreement() {
        return agreement;
    }

    public Table agreementOverSeeds() {
        return agreementOverSeeds;
    }

    /** Writes the four CSV files into {@code dir} (atomically); nothing when no run has been analysed. */
    public void writeTo(Path dir) {
        if (isEmpty()) {
            return;
        }
        AtomicFiles.writeString(dir.resolve(ANALYSIS_CSV), csv(rows));
        AtomicFiles.writeString(dir.resolve(ANALYSIS_OVER_SEEDS_CSV), csv(overSeeds));
        AtomicFiles.writeString(dir.resolve(AGREEMENT_CSV), csv(agreement));
        AtomicFiles.writeString(dir.resolve(AGREEMENT_OVER_SEEDS_CSV), csv(agreementOverSeeds));
    }

    /** The report's section (empty when no run has been analysed). */
    public String markdown() {
        if (isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Inference-phase analysis\n\n");
        md.append("From `bnlab analyze` (each run's `analysis/` folder). Accuracy, mean confidence and expected "
                + "calibration error (ECE, Guo et al. 2017) in percent, over seeds (mean, sd, n, 95% t interval). "
                + "`statistics`: what BN normalised with: `running` (the stored moving averages), `batch` (each test "
                + "batch's own, at `test_batch_size`), `precise` (re-estimated over training batches, Wu and Johnson "
                + "2021), `source` / `adapted` (on shifted test images: stored statistics / re-estimated on the "
                + "shifted images, AdaBN, Li et al. 2016), `none` (no BN). Every row: `")
                .append(ANALYSIS_CSV).append("`.\n\n").append(MarkdownTable.render(printable(overSeeds)))
                .append('\n');
        if (!agreementOverSeeds.isEmpty()) {
            md.append("### Agreement of BN and no-BN pairs\n\nPairs trained on the same data with the same seed, "
                    + "running-mode test outputs: agreement (% of images with the same predicted class), images both "
                    + "/ only the treatment / only the baseline / neither get right, mean KL divergence "
                    + "KL(treatment || baseline) and KL(baseline || treatment) in nats. Per seed: `")
                    .append(AGREEMENT_CSV).append("`.\n\n").append(MarkdownTable.render(printable(agreementOverSeeds)))
                    .append('\n');
        }
        return md.toString();
    }

    /**
     * {@code table} with printed numbers rounded as in the other tables: percentages and counts to 2 decimals, losses
     * and KL divergences to 4 (the CSV files keep every digit).
     */
    private static Table printable(Table table) {
        Table copy = table.copy();
        for (tech.tablesaw.columns.Column<?> column : copy.columns()) {
            if (column instanceof tech.tablesaw.api.DoubleColumn d) {
                boolean fine = d.name().contains("loss") || d.name().startsWith("kl_");
                d.setPrintFormatter(Numbers.formatter(fine ? "0.0000" : "0.00"));
            }
        }
        return copy;
    }

    private static String csv(Table table) {
        StringWriter out = new StringWriter();
        table.write().csv(CsvWriteOptions.builder(out).build());
        return out.toString();
    }
}
