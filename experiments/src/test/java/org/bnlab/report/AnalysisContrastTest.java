package org.bnlab.report;

import org.bnlab.analysis.AnalysisFolder;
import org.bnlab.analysis.AnalysisRow;
import org.bnlab.experiment.Contrast;
import org.bnlab.experiment.Experiment;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.spec.EvalSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contrasts in the metrics of {@code bnlab analyze} ({@code precise_acc_pct}, {@code batch_acc_pct} at the largest
 * test batch size, {@code adabn_acc_pct} over the shifts and severities with re-estimated statistics), from
 * hand-made run folders with {@code analysis/rows-<mode>.csv} files as {@code bnlab analyze} writes them; and the
 * report saying plainly when the runs have not been analysed.
 */
class AnalysisContrastTest {

    @TempDir
    Path tmp;

    private static Experiment experiment() {
        Map<String, String> bn = Map.of("model.normalization", "batchnorm");
        Map<String, String> none = Map.of("model.normalization", "none");
        return Experiment.builder("modes").set("model.depth", "8")
                .grid("model.normalization", "batchnorm", "none").seeds(1, 2)
                .contrast(new Contrast("precise", bn, none, Contrast.PRECISE_ACCURACY, null))
                .contrast(new Contrast("batch", bn, none, Contrast.BATCH_ACCURACY, null))
                .contrast(new Contrast("adabn", bn, none, Contrast.ADABN_ACCURACY, null))
                .build();
    }

    private static AnalysisRow row(String mode, String statistics, int batch, String shift, int severity,
                                   double accuracyPct) {
        return new AnalysisRow(mode, statistics, batch, shift, severity, 2_000, accuracyPct, 1.5, 50, 5, 1_000);
    }

    /** Writes a mode's rows and marks the mode done, as {@code bnlab analyze} leaves it. */
    private static void written(AnalysisFolder folder, String mode, List<AnalysisRow> rows) {
        folder.writeRows(mode, rows);
        folder.markDone(mode, mode + ": checkpoint_epochs=2");
    }

    /** The rows {@code bnlab analyze} writes for a BN run in the precise, batch and adabn modes. */
    private static void analysedWithBatchNorm(Path runDir, double precise, double[] batchAt2_8_128,
                                              double[] adaptedBrightness1_5Contrast1_5) {
        AnalysisFolder folder = AnalysisFolder.of(runDir);
        written(folder, EvalSpec.PRECISE, List.of(row(EvalSpec.PRECISE, "precise", 0, "", 0, precise)));
        int[] sizes = {2, 8, 128};
        List<AnalysisRow> batch = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            batch.add(row(EvalSpec.BATCH, "batch", sizes[i], "", 0, batchAt2_8_128[i]));
        }
        written(folder, EvalSpec.BATCH, batch);
        List<AnalysisRow> adabn = new ArrayList<>();
        int i = 0;
        for (String shift : List.of("brightness", "contrast")) {
            for (int severity : new int[]{1, 5}) {
                // the stored statistics on the shifted images: not AdaBN, not in the metric
                adabn.add(row(EvalSpec.ADABN, "source", 0, shift, severity, 10));
                adabn.add(row(EvalSpec.ADABN, "adapted", 0, shift, severity, adaptedBrightness1_5Contrast1_5[i++]));
            }
        }
        written(folder, EvalSpec.ADABN, adabn);
    }

    /** The rows for a network without BN: every mode is its running-mode measurement, labelled none. */
    private static void analysedWithoutBatchNorm(Path runDir, double running, double[] shiftedBrightness1_5Contrast1_5) {
        AnalysisFolder folder = AnalysisFolder.of(runDir);
        written(folder, EvalSpec.PRECISE, List.of(row(EvalSpec.PRECISE, "none", 0, "", 0, running)));
        written(folder, EvalSpec.BATCH, List.of(row(EvalSpec.BATCH, "none", 2, "", 0, running),
                row(EvalSpec.BATCH, "none", 8, "", 0, running), row(EvalSpec.BATCH, "none", 128, "", 0, running)));
        List<AnalysisRow> adabn = new ArrayList<>();
        int i = 0;
        for (String shift : List.of("brightness", "contrast")) {
            for (int severity : new int[]{1, 5}) {
                adabn.add(row(EvalSpec.ADABN, "none", 0, shift, severity, shiftedBrightness1_5Contrast1_5[i++]));
            }
        }
        written(folder, EvalSpec.ADABN, adabn);
    }

    /** The four runs finished (BN seeds 1, 2; no BN seeds 1, 2); returns the plan. */
    private static ExperimentPlan finished(Path dir) {
        ExperimentPlan plan = ExperimentPlan.expand(experiment());
        PlanFixtures.experiment(dir, plan);
        for (PlannedRun run : plan.runs()) {
            PlanFixtures.completed(dir, plan, run, 0.30, 0.40);
        }
        return plan;
    }

    private static PlannedRun run(ExperimentPlan plan, String normalization, long seed) {
        return plan.runs().stream().filter(r -> r.spec().model().normalization().type().equals(normalization)
                && r.spec().seed() == seed).findFirst().orElseThrow();
    }

    @Test
    void theAnalyzeMetricsAreThePreciseTheLargestBatchAndTheAdaptedMean() {
        Path dir = tmp.resolve("modes");
        ExperimentPlan plan = finished(dir);
        analysedWithBatchNorm(dir.resolve(run(plan, "batchnorm", 1).id()), 60, new double[]{10, 30, 58},
                new double[]{50, 30, 46, 34});
        analysedWithBatchNorm(dir.resolve(run(plan, "batchnorm", 2).id()), 62, new double[]{12, 33, 56},
                new double[]{52, 32, 44, 36});
        analysedWithoutBatchNorm(dir.resolve(run(plan, "none", 1).id()), 40, new double[]{30, 20, 26, 24});
        analysedWithoutBatchNorm(dir.resolve(run(plan, "none", 2).id()), 44, new double[]{31, 21, 27, 25});

        ExperimentReport report = ExperimentReport.build(dir, 0.5);
        Table t = report.contrasts();
        assertEquals(List.of("precise", "batch", "adabn"), t.stringColumn("contrast").asList(), t.printAll());
        assertEquals(List.of(Contrast.PRECISE_ACCURACY, Contrast.BATCH_ACCURACY, Contrast.ADABN_ACCURACY),
                t.stringColumn("metric").asList());
        // precise: (60 + 62) / 2 - (40 + 44) / 2
        assertEquals(61, t.doubleColumn("treatment_mean").getDouble(0), 1e-9);
        assertEquals(61 - 42, t.doubleColumn("difference_pts").getDouble(0), 1e-9);
        // batch, at test batch 128 (the largest): (58 + 56) / 2 - (40 + 44) / 2
        assertEquals(57, t.doubleColumn("treatment_mean").getDouble(1), 1e-9);
        assertEquals(57 - 42, t.doubleColumn("difference_pts").getDouble(1), 1e-9);
        // adabn, the adapted rows' mean over 2 shifts x 2 severities: (40 + 41) / 2 - (25 + 26) / 2
        assertEquals(40.5, t.doubleColumn("treatment_mean").getDouble(2), 1e-9);
        assertEquals(25.5, t.doubleColumn("baseline_mean").getDouble(2), 1e-9);
        assertEquals(40.5 - 25.5, t.doubleColumn("difference_pts").getDouble(2), 1e-9);
        for (int i = 0; i < 3; i++) {
            assertEquals(2, t.intColumn("treatment_n").getInt(i));
            assertEquals(2, t.intColumn("baseline_n").getInt(i));
        }
        assertTrue(report.headline().get(0).startsWith("precise [precise_acc_pct]: 61.0% (sd 1.4, n = 2) vs 42.0% "
                + "(sd 2.8, n = 2);\n    difference +19.0 points"), String.join("\n", report.headline()));
    }

    @Test
    void runsNotAnalysedAreSaidToBeNotAnalysed() {
        Path dir = tmp.resolve("unanalysed");
        ExperimentPlan plan = finished(dir);
        ExperimentReport report = ExperimentReport.build(dir, 0.5);
        List<String> headline = report.headline();
        String text = String.join("\n", headline);
        assertEquals("precise [precise_acc_pct]: no comparison, no treatment run has a value: 2 not analysed in the "
                + "precise mode (bnlab analyze on the results folder, with precise in eval.modes)", headline.get(0),
                text);
        assertTrue(headline.get(1).startsWith("batch [batch_acc_pct]: no comparison, no treatment run has a value: 2 "
                + "not analysed in the batch mode"), text);
        assertTrue(headline.get(2).startsWith("adabn [adabn_acc_pct]: no comparison, no treatment run has a value: 2 "
                + "not analysed in the adabn mode"), text);
        assertTrue(!text.contains("diverged"), text);
        assertTrue(report.toMarkdown().contains(headline.get(0)), "the report's answer says it too");

        // one BN run analysed: the comparison is of what there is, and says what is missing
        analysedWithBatchNorm(dir.resolve(run(plan, "batchnorm", 1).id()), 60, new double[]{10, 30, 58},
                new double[]{50, 30, 46, 34});
        analysedWithoutBatchNorm(dir.resolve(run(plan, "none", 1).id()), 40, new double[]{30, 20, 26, 24});
        analysedWithoutBatchNorm(dir.resolve(run(plan, "none", 2).id()), 44, new double[]{31, 21, 27, 25});
        String first = ExperimentReport.build(dir, 0.5).headline().get(0);
        assertTrue(first.startsWith("precise [precise_acc_pct]: 60.0% (n = 1) vs 42.0% (sd 2.8, n = 2);"), first);
        assertTrue(first.endsWith("; without a value, 1 run: not analysed in the precise mode (bnlab analyze on the "
                + "results folder, with precise in eval.modes)"), first);
    }
}
