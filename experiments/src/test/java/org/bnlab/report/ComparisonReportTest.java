package org.bnlab.report;

import static org.bnlab.report.RunFixtures.completed;
import static org.bnlab.report.RunFixtures.diverged;
import static org.bnlab.report.RunFixtures.epochs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bnlab.results.ActivationRow;
import org.bnlab.results.LayerActivationStats;
import org.bnlab.results.MetricsCsv;
import org.bnlab.results.ResultsException;
import org.bnlab.results.RunFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tech.tablesaw.api.Table;

class ComparisonReportTest {

    static final List<String> PER_RUN_COLUMNS = List.of("run", "dataset", "model", "shortcut", "normalization",
            "init", "learning_rate", "seed", "status", "diverged_epoch", "epochs", "final_test_acc_pct",
            "best_test_acc_pct", "epochs_to_target", "seconds_to_target", "bn_minus_this_final_pts");

    @TempDir
    Path tmp;

    Path comparison;

    /** BN completed, no-BN zero-residual completed, no-BN he diverged in epoch 1: one seed each. */
    @BeforeEach
    void threeRuns() {
        comparison = tmp.resolve("bn-vs-nobn");
        completed(comparison, "bn-he-s1", "batchnorm", "he", 1, epochs(0.45, 0.62, 0.713));
        completed(comparison, "nobn-zr-s1", "none", "zero-residual", 1, epochs(0.30, 0.53, 0.52));
        diverged(comparison, "nobn-he-s1", "none", "he", 1, epochs());
    }

    @Test
    void perRunTableHasOneRowPerRunWithTheDocumentedColumns() {
        Table t = ComparisonReport.build(comparison, 0.6).perRun();

        assertEquals(PER_RUN_COLUMNS, t.columnNames());
        assertEquals(List.of("bn-he-s1", "nobn-he-s1", "nobn-zr-s1"), t.stringColumn("run").asList());
    }

    @Test
    void batchNormRunReachesTheTargetInItsSecondEpoch() {
        Table t = ComparisonReport.build(comparison, 0.6).perRun();
        int bn = row(t, "bn-he-s1");

        assertEquals("completed", t.stringColumn("status").get(bn));
        assertTrue(t.intColumn("diverged_epoch").isMissing(bn));
        assertEquals(3, t.intColumn("epochs").getInt(bn));
        assertEquals(71.3, t.doubleColumn("final_test_acc_pct").getDouble(bn));
        assertEquals(71.3, t.doubleColumn("best_test_acc_pct").getDouble(bn));
        assertEquals(2, t.intColumn("epochs_to_target").getInt(bn));
        assertEquals(20.0, t.doubleColumn("seconds_to_target").getDouble(bn));
        assertTrue(t.doubleColumn("bn_minus_this_final_pts").isMissing(bn), "no difference for a BN run");
    }

    @Test
    void noBatchNormRunIsComparedWithItsBatchNormPartner() {
        Table t = ComparisonReport.build(comparison, 0.6).perRun();
        int zr = row(t, "nobn-zr-s1");

        assertEquals(52.0, t.doubleColumn("final_test_acc_pct").getDouble(zr));
        assertEquals(53.0, t.doubleColumn("best_test_acc_pct").getDouble(zr), "best is not the last epoch here");
        assertTrue(t.intColumn("epochs_to_target").isMissing(zr), "never reached 60%");
        assertTrue(t.doubleColumn("seconds_to_target").isMissing(zr));
        assertEquals(19.3, t.doubleColumn("bn_minus_this_final_pts").getDouble(zr), 1e-9);
    }

    @Test
    void runDivergedInItsFirstEpochHasNoAccuracies() {
        Table t = ComparisonReport.build(comparison, 0.6).perRun();
        int he = row(t, "nobn-he-s1");

        assertEquals("diverged", t.stringColumn("status").get(he));
        assertEquals(1, t.intColumn("diverged_epoch").getInt(he));
        assertEquals(0, t.intColumn("epochs").getInt(he));
        assertTrue(t.doubleColumn("final_test_acc_pct").isMissing(he));
        assertTrue(t.intColumn("epochs_to_target").isMissing(he));
        assertTrue(t.doubleColumn("bn_minus_this_final_pts").isMissing(he), "nothing to subtract from");
    }

    @Test
    void targetCountsAsReachedAtExactlyTheTargetAccuracy() {
        Table t = ComparisonReport.build(comparison, 0.53).perRun();

        assertEquals(2, t.intColumn("epochs_to_target").getInt(row(t, "nobn-zr-s1")));
        assertEquals(2, t.intColumn("epochs_to_target").getInt(row(t, "bn-he-s1")));
    }

    @Test
    void divergedRunsFinalAccuracyIsItsLastCompletedEpoch() {
        diverged(comparison, "nobn-he-s2", "none", "he", 2, epochs(0.2, 0.25));
        completed(comparison, "bn-he-s2", "batchnorm", "he", 2, epochs(0.5, 0.6, 0.7));

        Table t = ComparisonReport.build(comparison, 0.6).perRun();
        int late = row(t, "nobn-he-s2");

        assertEquals(3, t.intColumn("diverged_epoch").getInt(late));
        assertEquals(25.0, t.doubleColumn("final_test_acc_pct").getDouble(late));
        assertEquals(45.0, t.doubleColumn("bn_minus_this_final_pts").getDouble(late), 1e-9,
                "compared with the BN run of the same seed (70%), not seed 1's 71.3%");
    }

    @Test
    void headlineSaysWhatBatchNormDid() {
        assertEquals("BN vs no-BN (zero-residual), resnet20, lr 0.1: 71.3% vs 52.0% (+19.3 points); "
                + "no-BN (he) diverged at epoch 1", ComparisonReport.build(comparison, 0.6).headline());
    }

    @Test
    void markdownHasARealTableWithAColumnLegendNamingTheTarget() {
        String md = ComparisonReport.build(comparison, 0.6).toMarkdown();
        List<String> lines = md.lines().toList();

        int header = lines.indexOf("| " + String.join(" | ", PER_RUN_COLUMNS) + " |");
        assertTrue(header > 0, md);
        String legend = lines.get(header - 2);
        assertTrue(legend.contains("60.00%") && legend.contains("bn_minus_this_final_pts"), legend);
        assertTrue(lines.get(header + 1).matches("(\\| -{3}:? )+\\|"), lines.get(header + 1));
        assertEquals(17, lines.get(header + 1).chars().filter(c -> c == '|').count());
        // three data rows, each with 16 cells, then the end of the table
        for (int i = header + 2; i <= header + 4; i++) {
            assertEquals(17, lines.get(i).chars().filter(c -> c == '|').count(), lines.get(i));
        }
        assertEquals("", lines.get(header + 5));
        assertTrue(lines.get(header + 2).startsWith("| bn-he-s1 | cifar10 | resnet20 | A | batchnorm | he | 0.1 | 1 | "
                + "completed |  | 3 | 71.30 | 71.30 | 2 | 20.0 |  |"), lines.get(header + 2));
        assertTrue(lines.get(header + 4).endsWith("| 52.00 | 53.00 |  |  | +19.30 |"), lines.get(header + 4));
        assertTrue(md.contains(ComparisonReport.build(comparison, 0.6).headline()));
    }

    @Test
    void writesTheThreeFiles() throws Exception {
        ComparisonReport report = ComparisonReport.build(comparison, 0.6);

        report.writeTo(comparison);

        List<String> csv = Files.readAllLines(comparison.resolve("comparison.csv"));
        assertEquals(String.join(",", PER_RUN_COLUMNS), csv.get(0));
        assertEquals(4, csv.size());
        assertEquals("bn-he-s1,cifar10,resnet20,A,batchnorm,he,0.1,1,completed,,3,71.3,71.3,2,20.0,", csv.get(1));
        assertEquals("nobn-zr-s1,cifar10,resnet20,A,none,zero-residual,0.1,1,completed,,3,52.0,53.0,,,19.3", csv.get(3));
        List<String> summary = Files.readAllLines(comparison.resolve("comparison-summary.csv"));
        assertTrue(summary.get(0).startsWith("dataset,model,shortcut,normalization,init,learning_rate,runs,diverged,"
                + "final_test_acc_pct_mean,final_test_acc_pct_std,final_test_acc_pct_n"), summary.get(0));
        assertEquals(4, summary.size(), "one row per (normalization, init)");
        assertEquals(report.toMarkdown(), Files.readString(comparison.resolve("comparison.md")));
        assertEquals(List.of(String.join(",", ACTIVATION_COLUMNS)),
                Files.readAllLines(comparison.resolve("activations-summary.csv")), "no run recorded activations");
        assertFalse(report.toMarkdown().contains("activations-summary.csv"));
    }

    @Test
    void activationsSummaryHasEachRunsLastSnapshotLayerByLayer() throws Exception {
        RunFolder bn = RunFolder.at(comparison.resolve("bn-he-s1"));
        bn.writeEpochActivations(1, List.of(activation(1, 0, "stem_conv", 0.5), activation(1, 0, "pool", 0.6)));
        bn.writeEpochActivations(3, List.of(activation(3, 40, "stem_conv", 0.7), activation(3, 40, "pool", 0.8),
                activation(3, 45, "stem_conv", 0.9), activation(3, 45, "pool", 1.0e-9)));
        RunFolder he = RunFolder.at(comparison.resolve("nobn-he-s1"));
        he.writeEpochActivations(1, List.of(activation(1, 0, "stem_conv", Double.POSITIVE_INFINITY)));

        ComparisonReport report = ComparisonReport.build(comparison, 0.6);
        Table t = report.activations();

        assertEquals(ACTIVATION_COLUMNS, t.columnNames());
        assertEquals(List.of("bn-he-s1", "bn-he-s1", "nobn-he-s1"), t.stringColumn("run").asList(),
                "the run without activations.csv has no rows");
        assertEquals(List.of("stem_conv", "pool", "stem_conv"), t.stringColumn("layer").asList());
        assertEquals(List.of(45L, 45L, 0L), t.longColumn("iteration").asList());
        assertEquals(List.of(3, 3, 1), t.intColumn("epoch").asList());
        assertEquals(1.0e-9, t.doubleColumn("mean").getDouble(1), "not rounded away");
        assertEquals("none", t.stringColumn("normalization").get(2));

        report.writeTo(comparison);
        List<String> csv = Files.readAllLines(comparison.resolve("activations-summary.csv"));
        assertEquals(4, csv.size());
        assertEquals("bn-he-s1,batchnorm,he,3,45,stem_conv,conv,4x8x8x16,0.9,0.25,-1.0,2.0,0.5,0.125", csv.get(1));
        assertTrue(report.toMarkdown().contains("`activations-summary.csv`"));
    }

    static final List<String> ACTIVATION_COLUMNS = List.of("run", "normalization", "init", "epoch", "iteration",
            "layer", "kind", "shape", "mean", "std", "min", "max", "mean_abs", "zero_fraction");

    private static ActivationRow activation(int epoch, long iteration, String layer, double mean) {
        return new ActivationRow(epoch, iteration,
                new LayerActivationStats(layer, "conv", "4x8x8x16", mean, 0.25, -1.0, 2.0, 0.5, 0.125));
    }

    @Test
    void writingTheReportDoesNotMakeItARun() {
        ComparisonReport.build(comparison, 0.6).writeTo(comparison);

        assertEquals(3, ComparisonReport.build(comparison, 0.6).perRun().rowCount());
    }

    @Test
    void printsHeadlineAndBothTables() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ComparisonReport.build(comparison, 0.6).printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(out.startsWith("BN vs no-BN (zero-residual)"), out);
        assertTrue(out.contains("Runs (target test accuracy 60.00%)"), out);
        assertTrue(out.contains("71.30") && out.contains("+19.30") && out.contains("final_test_acc_pct_mean"), out);
    }

    @Test
    void aggregatedTableAveragesOverSeeds() {
        completed(comparison, "bn-he-s2", "batchnorm", "he", 2, epochs(0.5, 0.6, 0.73));
        completed(comparison, "nobn-zr-s2", "none", "zero-residual", 2, epochs(0.4, 0.5, 0.58));
        completed(comparison, "nobn-he-s2", "none", "he", 2, epochs(0.3, 0.35, 0.40));

        Table agg = ComparisonReport.build(comparison, 0.6).aggregated();

        assertEquals(3, agg.rowCount());
        int bn = aggRow(agg, "batchnorm", "he");
        assertEquals(2, agg.intColumn("runs").getInt(bn));
        assertEquals(0, agg.intColumn("diverged").getInt(bn));
        assertEquals(72.15, agg.doubleColumn("final_test_acc_pct_mean").getDouble(bn), 1e-9);
        assertEquals(Math.sqrt(2 * 0.85 * 0.85), agg.doubleColumn("final_test_acc_pct_std").getDouble(bn), 1e-4);
        assertEquals(2, agg.intColumn("final_test_acc_pct_n").getInt(bn));
        int zr = aggRow(agg, "none", "zero-residual");
        assertEquals(55.0, agg.doubleColumn("final_test_acc_pct_mean").getDouble(zr), 1e-9);
        assertEquals(Math.sqrt(2 * 3.0 * 3.0), agg.doubleColumn("final_test_acc_pct_std").getDouble(zr), 1e-4);
        assertEquals(55.5, agg.doubleColumn("best_test_acc_pct_mean").getDouble(zr), 1e-9);
        int he = aggRow(agg, "none", "he");
        assertEquals(2, agg.intColumn("runs").getInt(he));
        assertEquals(1, agg.intColumn("diverged").getInt(he));
        assertEquals(1, agg.intColumn("final_test_acc_pct_n").getInt(he), "the run diverged in epoch 1 has no value");
        assertEquals(40.0, agg.doubleColumn("final_test_acc_pct_mean").getDouble(he), 1e-9);
        assertTrue(agg.doubleColumn("final_test_acc_pct_std").isMissing(he), "no spread from one value");
        assertEquals("0.1", agg.stringColumn("learning_rate").get(he));
    }

    @Test
    void headlineAveragesSeedsAndCountsDivergences() {
        completed(comparison, "bn-he-s2", "batchnorm", "he", 2, epochs(0.5, 0.6, 0.73));
        completed(comparison, "nobn-zr-s2", "none", "zero-residual", 2, epochs(0.4, 0.5, 0.58));
        completed(comparison, "nobn-he-s2", "none", "he", 2, epochs(0.3, 0.35, 0.40));

        assertEquals("BN vs no-BN (he), resnet20, lr 0.1: 73.0% vs 40.0% (+33.0 points); "
                        + "BN vs no-BN (zero-residual): 72.2% vs 55.0% (+17.2 points, mean of 2 seeds); "
                        + "no-BN (he) diverged in 1 of 2 runs (epoch 1)",
                ComparisonReport.build(comparison, 0.6).headline());
    }

    @Test
    void noFinishedRunsIsAClearError() throws Exception {
        Path empty = tmp.resolve("empty");
        RunFolder.at(empty.resolve("crashed")).writeMetrics(epochs(0.3));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ComparisonReport.build(empty, 0.6));

        assertTrue(e.getMessage().startsWith("no finished runs in " + empty), e.getMessage());
    }

    @Test
    void aCorruptMetricsFileNamesTheFile() throws Exception {
        Path metrics = comparison.resolve("bn-he-s1").resolve("metrics.csv");
        Files.writeString(metrics, MetricsCsv.HEADER + "\n1,0.1,2.0\n");

        ResultsException e = assertThrows(ResultsException.class, () -> ComparisonReport.build(comparison, 0.6));

        assertTrue(e.getMessage().contains(metrics.toString()), e.getMessage());
    }

    @Test
    void targetMustBeAFraction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComparisonReport.build(comparison, 60));
        assertTrue(e.getMessage().contains("did you mean 0.6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ComparisonReport.build(comparison, 0));
        assertFalse(Files.exists(comparison.resolve("comparison.csv")));
    }

    private static int row(Table t, String run) {
        int index = t.stringColumn("run").asList().indexOf(run);
        assertTrue(index >= 0, "no row for " + run);
        return index;
    }

    private static int aggRow(Table t, String normalization, String init) {
        for (int i = 0; i < t.rowCount(); i++) {
            if (t.stringColumn("normalization").get(i).equals(normalization) && t.stringColumn("init").get(i).equals(init)) {
                return i;
            }
        }
        throw new AssertionError("no aggregated row for " + normalization + "/" + init + " in\n" + t.printAll());
    }
}
