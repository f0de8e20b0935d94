package org.bnlab.report;

import org.bnlab.analysis.AnalysisFolder;
import org.bnlab.analysis.AnalysisRow;
import org.bnlab.analysis.ModelOutputs;
import org.bnlab.analysis.PairMetrics;
import org.bnlab.experiment.Contrast;
import org.bnlab.io.AtomicFiles;
import org.bnlab.report.stats.SampleAggregates;
import org.bnlab.spec.EvalSpec;
import tech.tablesaw.aggregate.AggregateFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

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

    /** The prefix of a metric's column before rounding, in the table the over-seeds summary is computed from. */
    private static final String RAW = "unrounded ";

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
        // the values before rounding, which the over-seeds summary is computed from
        DoubleColumn accuracyRaw = DoubleColumn.create(RAW + accuracy.name());
        DoubleColumn lossRaw = DoubleColumn.create(RAW + loss.name());
        DoubleColumn confidenceRaw = DoubleColumn.create(RAW + confidence.name());
        DoubleColumn eceRaw = DoubleColumn.create(RAW + ece.name());
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
                accuracyRaw.append(row.accuracyPct());
                lossRaw.append(row.loss());
                confidenceRaw.append(row.confidencePct());
                eceRaw.append(row.ecePct());
            }
        }
        rows.addColumns(run);
        armColumns.forEach(rows::addColumns);
        rows.addColumns(seed, mode, statistics, testBatch, shift, severity, images, accuracy, loss, confidence, ece);
        Table unrounded = rows.selectColumns(rows.columnNames().toArray(String[]::new));
        unrounded.addColumns(accuracyRaw, lossRaw, confidenceRaw, eceRaw);
        Table overSeeds = overSeeds(folder, arms, unrounded);
        Table agreement = agreement(folder, dir);
        return new AnalysisTables(rows, overSeeds, agreement, agreementOverSeeds(agreement));
    }

    /**
     * The rows summarised over seeds per arm and evaluation, from their unrounded metrics (the columns
     * {@value #RAW}{@code <metric>} of {@code rows}).
     */
    private static Table overSeeds(ResultsFolder folder, List<String> arms, Table rows) {
        Table t = Table.create("analysis over seeds");
        List<String> keys = new ArrayList<>();
        arms.forEach(a -> keys.add(folder.shortName(a)));
        for (String name : List.of("mode", "statistics", "test_batch_size", "shift", "severity")) {
            keys.add(name);
        }
        Table g = SampleAggregates.summarizeBy(rows, keys,
                List.of(RAW + "accuracy_pct", RAW + "ece_pct", RAW + "mean_confidence_pct", RAW + "loss"),
                SampleAggregates.MEAN, SampleAggregates.SD, SampleAggregates.N, SampleAggregates.CI_LOW,
                SampleAggregates.CI_HIGH);
        for (int i = 0; i < keys.size(); i++) {
            StringColumn column = StringColumn.create(keys.get(i));
            for (int row = 0; row < g.rowCount(); row++) {
                String v = String.valueOf(g.column(keys.get(i)).get(row));
                column.append(v.equals("0") && i >= arms.size() + 2 ? "" : v);
            }
            t.addColumns(column);
        }
        t.addColumns(g.intColumn(SampleAggregates.name(SampleAggregates.N, RAW + "accuracy_pct")).setName("n"),
                rounded(g, SampleAggregates.MEAN, RAW + "accuracy_pct", "accuracy_mean"),
                rounded(g, SampleAggregates.SD, RAW + "accuracy_pct", "accuracy_sd"),
                rounded(g, SampleAggregates.CI_LOW, RAW + "accuracy_pct", "accuracy_ci_low"),
                rounded(g, SampleAggregates.CI_HIGH, RAW + "accuracy_pct", "accuracy_ci_high"),
                rounded(g, SampleAggregates.MEAN, RAW + "ece_pct", "ece_mean"),
                rounded(g, SampleAggregates.SD, RAW + "ece_pct", "ece_sd"),
                rounded(g, SampleAggregates.MEAN, RAW + "mean_confidence_pct", "confidence_mean"),
                rounded(g, SampleAggregates.MEAN, RAW + "loss", "loss_mean"));
        return t;
    }

    /** {@code function}'s column of {@code column} in {@code grouped}, rounded to 4 decimals, named {@code name}. */
    private static DoubleColumn rounded(Table grouped, AggregateFunction<?, ?> function, String column, String name) {
        return Numbers.rounded(grouped.doubleColumn(SampleAggregates.name(function, column))).setName(name);
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
        List<String> metrics = List.of("agreement_pct", "both_right", "only_treatment_right", "only_baseline_right",
                "neither_right", "kl_treatment_baseline", "kl_baseline_treatment");
        Table g = SampleAggregates.summarizeBy(agreement, List.of("contrast", "setting"), metrics,
                SampleAggregates.ROWS, SampleAggregates.MEAN, SampleAggregates.SD, SampleAggregates.CI_LOW,
                SampleAggregates.CI_HIGH);
        Table t = Table.create("agreement over seeds", g.stringColumn("contrast"), g.stringColumn("setting"),
                g.intColumn(SampleAggregates.name(SampleAggregates.ROWS, "agreement_pct")).setName("n"),
                rounded(g, SampleAggregates.MEAN, "agreement_pct", "agreement_mean"),
                rounded(g, SampleAggregates.SD, "agreement_pct", "agreement_sd"),
                rounded(g, SampleAggregates.CI_LOW, "agreement_pct", "agreement_ci_low"),
                rounded(g, SampleAggregates.CI_HIGH, "agreement_pct", "agreement_ci_high"));
        metrics.subList(1, metrics.size()).forEach(m -> t.addColumns(rounded(g, SampleAggregates.MEAN, m,
                m + "_mean")));
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
        AtomicFiles.writeString(dir.resolve(ANALYSIS_CSV), ExperimentReport.csv(rows));
        AtomicFiles.writeString(dir.resolve(ANALYSIS_OVER_SEEDS_CSV), ExperimentReport.csv(overSeeds));
        AtomicFiles.writeString(dir.resolve(AGREEMENT_CSV), ExperimentReport.csv(agreement));
        AtomicFiles.writeString(dir.resolve(AGREEMENT_OVER_SEEDS_CSV), ExperimentReport.csv(agreementOverSeeds));
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
}
