package org.bnlab.report;

import org.apache.commons.math3.distribution.TDistribution;
import org.bnlab.experiment.Experiment;
import org.bnlab.experiment.ExperimentFiles;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.results.ActivationRow;
import org.bnlab.results.LayerActivationStats;
import org.bnlab.results.MetricsCsv;
import org.bnlab.results.ResultsException;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.bnlab.testing.Home;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bnlab.report.RunFixtures.epochs;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The report of a results folder, from hand-made run folders of the default experiment (3 arms x 3 seeds, with runs
 * that diverged), of other shapes, and of the layout written before experiment files existed. Means, sds, intervals
 * and differences are checked against the textbook formulas.
 */
class ExperimentReportTest {

    private static final org.bnlab.results.RecordFile<ActivationRow> ACTIVATIONS =
            org.bnlab.measure.ActivationStatsMeasurement.RECORDS;

    static final List<String> OUTCOME_COLUMNS = List.of("status", "diverged_epoch", "epochs", "final_test_acc_pct",
            "best_test_acc_pct", "epochs_to_target", "steps_to_target", "seconds_to_target");

    /** Student t quantiles for a 95% interval (R: qt(0.975, df)). */
    static final double T_1 = 12.706204736174698;
    static final double T_2 = 4.302652729749464;

    @TempDir
    Path tmp;

    Path dir;
    ExperimentPlan plan;

    /** The default experiment with one published value added. */
    private ExperimentPlan defaultPlan() throws IOException {
        Path file = Files.writeString(tmp.resolve("bn-vs-nobn-ref.yaml"), String.join("\n",
                "name: bn-vs-nobn",
                "extends: " + Home.defaultExperiment(),
                "references:",
                "  - {match: {model.normalization: batchnorm}, metric: test_error_pct, value: 8.75,"
                        + " source: \"He et al. 2016, Table 6\"}") + "\n");
        return ExperimentPlan.expand(ExperimentFiles.load(file));
    }

    private PlannedRun run(String normalization, String init, int seed) {
        return plan.runs().stream().filter(r -> r.assignments().get("model.normalization").equals(normalization)
                && r.assignments().get("model.init").equals(init) && r.spec().seed() == seed).findFirst()
                .orElseThrow();
    }

    /**
     * BN: 71.3, 73.0, 70.1. No BN (he): diverged in epoch 1; diverged in epoch 3 at 25.0; 40.0. No BN
     * (zero-residual): 52.0, 58.0, 55.0.
     */
    @BeforeEach
    void defaultExperimentResults() throws IOException {
        plan = defaultPlan();
        dir = tmp.resolve("bn-vs-nobn");
        PlanFixtures.experiment(dir, plan);
        PlanFixtures.completed(dir, plan, run("batchnorm", "he", 1), 0.45, 0.62, 0.713);
        PlanFixtures.completed(dir, plan, run("batchnorm", "he", 2), 0.50, 0.60, 0.730);
        PlanFixtures.completed(dir, plan, run("batchnorm", "he", 3), 0.40, 0.65, 0.701);
        PlanFixtures.diverged(dir, plan, run("none", "he", 1));
        PlanFixtures.diverged(dir, plan, run("none", "he", 2), 0.20, 0.25);
        PlanFixtures.completed(dir, plan, run("none", "he", 3), 0.30, 0.35, 0.40);
        PlanFixtures.completed(dir, plan, run("none", "zero-residual", 1), 0.30, 0.53, 0.52);
        PlanFixtures.completed(dir, plan, run("none", "zero-residual", 2), 0.40, 0.50, 0.58);
        PlanFixtures.completed(dir, plan, run("none", "zero-residual", 3), 0.35, 0.50, 0.55);
    }

    private ExperimentReport report() {
        return ExperimentReport.build(dir, 0.6);
    }

    private static int row(Table t, String column, String value) {
        int index = t.stringColumn(column).asList().indexOf(value);
        assertTrue(index >= 0, "no row with " + column + " = " + value + " in\n" + t.printAll());
        return index;
    }

    private static int arm(Table t, String normalization, String init) {
        for (int i = 0; i < t.rowCount(); i++) {
            if (t.stringColumn("normalization").get(i).equals(normalization) && t.stringColumn("init").get(i).equals(init)) {
                return i;
            }
        }
        throw new AssertionError("no row for " + normalization + "/" + init + " in\n" + t.printAll());
    }

    private static double sd(double... v) {
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
    }

    // ---- the default experiment's shape ----

    @Test
    void runsTableHasAColumnPerVaryingSettingThenTheOutcome() {
        ExperimentReport report = report();
        assertEquals(List.of("model.normalization", "model.init", "seed"), report.varying());
        Table runs = report.runs();
        List<String> expected = new java.util.ArrayList<>(List.of("run", "normalization", "init", "seed"));
        expected.addAll(OUTCOME_COLUMNS);
        assertEquals(expected, runs.columnNames());
        assertEquals(9, runs.rowCount());
        assertEquals(plan.runs().stream().map(PlannedRun::id).sorted().toList(), runs.stringColumn("run").asList(),
                "one row per run, in folder order");
    }

    @Test
    void perRunValues() {
        Table t = report().runs();
        int bn = row(t, "run", run("batchnorm", "he", 1).id());
        assertEquals("batchnorm", t.stringColumn("normalization").get(bn));
        assertEquals("he", t.stringColumn("init").get(bn));
        assertEquals("1", t.stringColumn("seed").get(bn));
        assertEquals("completed", t.stringColumn("status").get(bn));
        assertTrue(t.intColumn("diverged_epoch").isMissing(bn));
        assertEquals(3, t.intColumn("epochs").getInt(bn));
        assertEquals(71.3, t.doubleColumn("final_test_acc_pct").getDouble(bn));
        assertEquals(71.3, t.doubleColumn("best_test_acc_pct").getDouble(bn));
        assertEquals(2, t.intColumn("epochs_to_target").getInt(bn));
        assertEquals(2 * 79, t.intColumn("steps_to_target").getInt(bn), "10,000 images in batches of 128, 2 epochs");
        assertEquals(20.0, t.doubleColumn("seconds_to_target").getDouble(bn));

        int early = row(t, "run", run("none", "he", 1).id());
        assertEquals("diverged", t.stringColumn("status").get(early));
        assertEquals(1, t.intColumn("diverged_epoch").getInt(early));
        assertEquals(0, t.intColumn("epochs").getInt(early));
        assertTrue(t.doubleColumn("final_test_acc_pct").isMissing(early));
        assertTrue(t.intColumn("epochs_to_target").isMissing(early));

        int late = row(t, "run", run("none", "he", 2).id());
        assertEquals(3, t.intColumn("diverged_epoch").getInt(late));
        assertEquals(25.0, t.doubleColumn("final_test_acc_pct").getDouble(late), "its last completed epoch");

        int zr = row(t, "run", run("none", "zero-residual", 1).id());
        assertEquals(52.0, t.doubleColumn("final_test_acc_pct").getDouble(zr));
        assertEquals(53.0, t.doubleColumn("best_test_acc_pct").getDouble(zr), "best is not the last epoch here");
        assertTrue(t.intColumn("epochs_to_target").isMissing(zr), "never reached 60%");
        assertTrue(t.doubleColumn("seconds_to_target").isMissing(zr));
    }

    @Test
    void theTargetCountsAsReachedAtExactlyTheTarget() {
        Table t = ExperimentReport.build(dir, 0.53).runs();
        assertEquals(2, t.intColumn("epochs_to_target").getInt(row(t, "run", run("none", "zero-residual", 1).id())));
        assertEquals(2, t.intColumn("epochs_to_target").getInt(row(t, "run", run("batchnorm", "he", 1).id())));
    }

    @Test
    void overSeedsMeanSdNAndIntervalAreTheTextbookOnes() {
        Table t = report().overSeeds();
        assertEquals(List.of("normalization", "init", "runs", "diverged", "final_mean", "final_sd", "final_n",
                "final_ci_low", "final_ci_high", "best_mean", "best_sd"), t.columnNames());
        assertEquals(3, t.rowCount());

        int bn = arm(t, "batchnorm", "he");
        double mean = (71.3 + 73.0 + 70.1) / 3;
        double sd = sd(71.3, 73.0, 70.1);
        assertEquals(3, t.intColumn("runs").getInt(bn));
        assertEquals(0, t.intColumn("diverged").getInt(bn));
        assertEquals(3, t.intColumn("final_n").getInt(bn));
        assertEquals(mean, t.doubleColumn("final_mean").getDouble(bn), 1e-4);
        assertEquals(sd, t.doubleColumn("final_sd").getDouble(bn), 1e-4);
        assertEquals(mean - T_2 * sd / Math.sqrt(3), t.doubleColumn("final_ci_low").getDouble(bn), 1e-4);
        assertEquals(mean + T_2 * sd / Math.sqrt(3), t.doubleColumn("final_ci_high").getDouble(bn), 1e-4);

        int he = arm(t, "none", "he");
        assertEquals(3, t.intColumn("runs").getInt(he));
        assertEquals(2, t.intColumn("diverged").getInt(he));
        assertEquals(2, t.intColumn("final_n").getInt(he), "the run diverged in epoch 1 has no value");
        assertEquals(32.5, t.doubleColumn("final_mean").getDouble(he), 1e-9);
        assertEquals(sd(25, 40), t.doubleColumn("final_sd").getDouble(he), 1e-4);
        assertEquals(32.5 - T_1 * sd(25, 40) / Math.sqrt(2), t.doubleColumn("final_ci_low").getDouble(he), 1e-4);

        int zr = arm(t, "none", "zero-residual");
        assertEquals(55.0, t.doubleColumn("final_mean").getDouble(zr), 1e-9);
        assertEquals(3.0, t.doubleColumn("final_sd").getDouble(zr), 1e-9);
        assertEquals(55 + T_2 * 3 / Math.sqrt(3), t.doubleColumn("final_ci_high").getDouble(zr), 1e-4);
        assertEquals((53 + 58 + 55) / 3.0, t.doubleColumn("best_mean").getDouble(zr), 1e-4);
    }

    @Test
    void contrastsGiveTheDifferenceWithItsWelchInterval() {
        Table t = report().contrasts();
        assertEquals(List.of("contrast", "setting", "metric", "treatment_mean", "treatment_sd", "treatment_n",
                "treatment_diverged", "baseline_mean", "baseline_sd", "baseline_n", "baseline_diverged",
                "difference_pts", "ci_low", "ci_high", "ci_includes_zero"), t.columnNames());
        assertEquals(List.of("BN vs no-BN (zero-residual)", "BN vs no-BN (he)"), t.stringColumn("contrast").asList());
        assertEquals(List.of("", ""), t.stringColumn("setting").asList(), "nothing else varies");

        double[] bn = {71.3, 73.0, 70.1};
        double[] zr = {52.0, 58.0, 55.0};
        double difference = mean(bn) - mean(zr);
        double va = sd(bn) * sd(bn) / 3;
        double vb = sd(zr) * sd(zr) / 3;
        double df = (va + vb) * (va + vb) / (va * va / 2 + vb * vb / 2);
        double half = new TDistribution(df).inverseCumulativeProbability(0.975) * Math.sqrt(va + vb);
        assertEquals(mean(bn), t.doubleColumn("treatment_mean").getDouble(0), 1e-4);
        assertEquals(55.0, t.doubleColumn("baseline_mean").getDouble(0), 1e-9);
        assertEquals(3, t.intColumn("treatment_n").getInt(0));
        assertEquals(difference, t.doubleColumn("difference_pts").getDouble(0), 1e-4);
        assertEquals(difference - half, t.doubleColumn("ci_low").getDouble(0), 1e-4);
        assertEquals(difference + half, t.doubleColumn("ci_high").getDouble(0), 1e-4);
        assertFalse(t.booleanColumn("ci_includes_zero").get(0));

        double[] he = {25.0, 40.0};
        double vh = sd(he) * sd(he) / 2;
        double dfHe = (va + vh) * (va + vh) / (va * va / 2 + vh * vh / 1);
        double halfHe = new TDistribution(dfHe).inverseCumulativeProbability(0.975) * Math.sqrt(va + vh);
        assertEquals(2, t.intColumn("baseline_n").getInt(1));
        assertEquals(2, t.intColumn("baseline_diverged").getInt(1));
        assertEquals(0, t.intColumn("treatment_diverged").getInt(1));
        assertEquals(mean(bn) - 32.5, t.doubleColumn("difference_pts").getDouble(1), 1e-4);
        assertEquals(mean(bn) - 32.5 - halfHe, t.doubleColumn("ci_low").getDouble(1), 1e-3);
        assertTrue(t.booleanColumn("ci_includes_zero").get(1), "two spread-out values: a wide interval");
    }

    private static double mean(double... v) {
        return java.util.Arrays.stream(v).average().orElseThrow();
    }

    @Test
    void headlineGivesEachContrastWithItsIntervalAndTheDivergences() {
        List<String> headline = report().headline();
        String text = String.join("\n", headline);
        assertTrue(headline.get(0).startsWith("BN vs no-BN (zero-residual): 71.5% (sd 1.5, n = 3) vs 55.0% (sd 3.0, "
                + "n = 3);"), text);
        assertTrue(headline.get(0).contains("difference +16.5 points (95% CI +"), text);
        assertTrue(headline.get(1).startsWith("BN vs no-BN (he): 71.5% (sd 1.5, n = 3) vs 32.5% (sd 10.6, n = 2);"),
                text);
        assertTrue(headline.get(1).contains("the interval includes zero"), text);
        assertEquals("normalization=none, init=he: diverged in 2 of 3 runs (epoch 1, 3)", headline.get(2));
        assertEquals(3, headline.size(), text);
    }

    @Test
    void theConsoleTableFits120Characters() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report().printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("Final test accuracy (%) over seeds"), out);
        assertTrue(out.contains("71.47") && out.contains("55.00") && out.contains("95% CI"), out);
        assertTrue(out.contains("BN vs no-BN (zero-residual): 71.5%"), out);
        for (String line : out.lines().toList()) {
            assertTrue(line.length() <= 120, line.length() + " characters: " + line);
        }
    }

    @Test
    void publishedValuesStandBesideTheMeasuredOnes() {
        Table t = report().references();
        assertEquals(1, t.rowCount());
        assertEquals("normalization=batchnorm", t.stringColumn("runs").get(0));
        assertEquals("test_error_pct", t.stringColumn("metric").get(0));
        assertEquals(8.75, t.doubleColumn("published").getDouble(0));
        assertEquals("He et al. 2016, Table 6", t.stringColumn("source").get(0));
        double error = 100 - (71.3 + 73.0 + 70.1) / 3;
        assertEquals(error, t.doubleColumn("measured_mean").getDouble(0), 1e-4);
        assertEquals(sd(71.3, 73.0, 70.1), t.doubleColumn("measured_sd").getDouble(0), 1e-4);
        assertEquals(3, t.intColumn("measured_n").getInt(0));
        assertEquals(error - 8.75, t.doubleColumn("measured_minus_published").getDouble(0), 1e-4);
    }

    @Test
    void markdownHasTheQuestionTheAnswerAndRealTables() {
        String md = report().toMarkdown();
        List<String> lines = md.lines().toList();
        assertEquals("# bn-vs-nobn", lines.get(0));
        assertTrue(md.contains("**Question.** Does BatchNorm let ResNet-20 learn faster"), md);
        assertTrue(md.contains("**Source.** He et al. 2016"), md);
        for (String section : List.of("## Answer", "## Over seeds", "## Contrasts", "## Published vs measured",
                "## Runs")) {
            assertTrue(lines.contains(section), section + " in\n" + md);
        }
        assertTrue(md.contains("- BN vs no-BN (zero-residual): 71.5%"), md);
        int header = lines.indexOf("| run | normalization | init | seed | " + String.join(" | ", OUTCOME_COLUMNS)
                + " |");
        assertTrue(header > 0, md);
        assertTrue(lines.get(header - 2).contains("60.00%"), "the legend names the target: " + lines.get(header - 2));
        assertTrue(lines.get(header + 1).matches("(\\| -{3}:? )+\\|"), lines.get(header + 1));
        for (int i = header + 1; i <= header + 10; i++) {
            assertEquals(13, lines.get(i).chars().filter(c -> c == '|').count(), lines.get(i));
        }
        String bnRow = lines.stream().filter(l -> l.startsWith("| " + run("batchnorm", "he", 1).id() + " |"))
                .findFirst().orElseThrow();
        assertTrue(bnRow.endsWith("| batchnorm | he | 1 | completed |  | 3 | 71.30 | 71.30 | 2 | 158 | 20.0 |"), bnRow);
    }

    @Test
    void writesTheTablesAsCsvAndTheMarkdown() throws Exception {
        ExperimentReport report = report();
        report.writeTo(dir);
        List<String> runs = Files.readAllLines(dir.resolve(ExperimentReport.RUNS_CSV));
        assertEquals("run,normalization,init,seed," + String.join(",", OUTCOME_COLUMNS), runs.get(0));
        assertEquals(10, runs.size());
        assertTrue(runs.contains(run("batchnorm", "he", 1).id() + ",batchnorm,he,1,completed,,3,71.3,71.3,2,158,20.0"),
                String.join("\n", runs));
        assertEquals(4, Files.readAllLines(dir.resolve(ExperimentReport.OVER_SEEDS_CSV)).size());
        assertEquals(3, Files.readAllLines(dir.resolve(ExperimentReport.CONTRASTS_CSV)).size());
        assertEquals(2, Files.readAllLines(dir.resolve(ExperimentReport.REFERENCES_CSV)).size());
        assertEquals(1, Files.readAllLines(dir.resolve(ExperimentReport.ACTIVATIONS_CSV)).size(), "header only");
        assertEquals(report.toMarkdown(), Files.readString(dir.resolve(ExperimentReport.MARKDOWN)));
        assertEquals(9, report().runs().rowCount(), "the report's files do not make it a run");
    }

    @Test
    void anOldLayoutRunInANewFolderJoinsItsArmFromItsSummary() {
        PlannedRun like = run("batchnorm", "he", 1);
        RunFolder legacy = RunFolder.at(dir.resolve("legacy-bn-s4"));
        legacy.writeMetrics(epochs(0.5, 0.6, 0.69));
        legacy.writeSummary(new RunSummary("legacy-bn-s4", RunStatus.COMPLETED, null, null, "cifar10", "resnet20", 20,
                "A", "batchnorm", "he", 0.1, 128, like.spec().train().epochs(), 3, 4, 10_000, 2_000, 0.69, 0.69,
                31.5));
        ExperimentReport report = report();
        assertEquals(List.of("model.normalization", "model.init", "seed"), report.varying());
        Table over = report.overSeeds();
        int bn = arm(over, "batchnorm", "he");
        assertEquals(4, over.intColumn("runs").getInt(bn));
        assertEquals((71.3 + 73.0 + 70.1 + 69.0) / 4, over.doubleColumn("final_mean").getDouble(bn), 1e-4);
        Table runs = report.runs();
        assertEquals("4", runs.stringColumn("seed").get(row(runs, "run", "legacy-bn-s4")));
    }

    // ---- other shapes: the columns follow what varies ----

    @Test
    void aLearningRateSweepIsKeyedByLearningRate() {
        ExperimentPlan sweep = ExperimentPlan.expand(Experiment.builder("lr-sweep").set("model.depth", "8")
                .grid("train.learning_rate", "0.01", "0.1").seeds(1, 2).build());
        Path lr = tmp.resolve("lr-sweep");
        PlanFixtures.experiment(lr, sweep);
        double[] finals = {0.40, 0.50, 0.44, 0.56};
        for (int i = 0; i < 4; i++) {
            PlanFixtures.completed(lr, sweep, sweep.runs().get(i), 0.3, finals[i]);
        }
        ExperimentReport report = ExperimentReport.build(lr, 0.6);
        List<String> expected = new java.util.ArrayList<>(List.of("run", "learning_rate", "seed"));
        expected.addAll(OUTCOME_COLUMNS);
        assertEquals(expected, report.runs().columnNames());
        Table over = report.overSeeds();
        assertEquals(List.of("learning_rate", "runs"), over.columnNames().subList(0, 2));
        assertEquals(List.of("0.01", "0.1"), over.stringColumn("learning_rate").asList());
        assertEquals(42.0, over.doubleColumn("final_mean").getDouble(0), 1e-9);
        assertEquals(53.0, over.doubleColumn("final_mean").getDouble(1), 1e-9);
        assertTrue(report.contrasts().isEmpty(), "none declared, and normalization does not vary");
        assertEquals(List.of("learning_rate=0.01: 42.0% (sd 2.8, n = 2)", "learning_rate=0.1: 53.0% (sd 4.2, n = 2)"),
                report.headline());
        assertFalse(report.toMarkdown().contains("## Contrasts"));
    }

    @Test
    void whenOnlyTheSeedVariesAllRunsAreOneArm() {
        ExperimentPlan seeds = ExperimentPlan.expand(Experiment.builder("seeds").seeds(1, 2, 3).build());
        Path s = tmp.resolve("seeds");
        PlanFixtures.experiment(s, seeds);
        PlanFixtures.completed(s, seeds, seeds.runs().get(0), 0.5);
        PlanFixtures.completed(s, seeds, seeds.runs().get(1), 0.6);
        PlanFixtures.completed(s, seeds, seeds.runs().get(2), 0.7);
        ExperimentReport report = ExperimentReport.build(s, 0.6);
        List<String> expected = new java.util.ArrayList<>(List.of("run", "seed"));
        expected.addAll(OUTCOME_COLUMNS);
        assertEquals(expected, report.runs().columnNames());
        assertEquals(1, report.overSeeds().rowCount());
        assertEquals("runs", report.overSeeds().columnNames().get(0));
        assertEquals(List.of("all runs: 60.0% (sd 10.0, n = 3)"), report.headline());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("60.00"));
    }

    // ---- one folder, two protocols; contrasts and references compared as values ----

    /** A learning-rate sweep of ResNet-8 over seeds 1 and 2, with a published value on its fixed depth. */
    private static Experiment sweep() {
        return Experiment.builder("sweep").set("model.depth", "8").grid("train.learning_rate", "0.1", "0.00001")
                .seeds(1, 2)
                .contrast(new org.bnlab.experiment.Contrast("high vs low", java.util.Map.of("train.learning_rate",
                        "1e-1"), java.util.Map.of("train.learning_rate", "1e-5")))
                .contrast(new org.bnlab.experiment.Contrast("best: high vs low", java.util.Map.of(
                        "train.learning_rate", "0.1"), java.util.Map.of("train.learning_rate", "0.00001"),
                        org.bnlab.experiment.Contrast.BEST_ACCURACY, null))
                .reference(new org.bnlab.experiment.Reference(java.util.Map.of("model.depth", "8"),
                        org.bnlab.experiment.Reference.FINAL_ACCURACY, 50, "a paper"))
                .build();
    }

    @Test
    void twoProtocolsInOneFolderAreTwoArmsNotOnePooledOne() {
        Path both = tmp.resolve("sweep");
        ExperimentPlan first = ExperimentPlan.expand(sweep());
        PlanFixtures.experiment(both, first);
        first.runs().forEach(r -> PlanFixtures.completed(both, first, r, 0.30, 0.40));
        ExperimentPlan second = ExperimentPlan.expand(sweep(), List.of("data.train_per_class=20"), List.of());
        PlanFixtures.experiment(both, second);
        second.runs().subList(0, 3).forEach(r -> PlanFixtures.completed(both, second, r, 0.50, 0.60));
        ExperimentReport report = ExperimentReport.build(both, 0.6);
        assertEquals(List.of("train.learning_rate", "data.train_per_class", "seed"), report.varying());
        Table over = report.overSeeds();
        assertEquals(4, over.rowCount(), over.printAll());
        for (int i = 0; i < over.rowCount(); i++) {
            boolean secondProtocol = over.stringColumn("train_per_class").get(i).equals("20");
            int expected = secondProtocol && over.stringColumn("learning_rate").get(i).equals("0.00001") ? 1 : 2;
            assertEquals(expected, over.intColumn("final_n").getInt(i), over.printAll());
            assertEquals(secondProtocol ? 60.0 : 40.0, over.doubleColumn("final_mean").getDouble(i), 1e-9);
        }
        String md = report.toMarkdown();
        assertTrue(md.contains("4 finished runs are not in the current plan (experiment.json), kept apart by the "
                + "settings in which they differ: "), md);
        first.runs().forEach(r -> assertTrue(md.contains(r.id()), r.id() + " named in\n" + md));
        PlannedRun missing = second.runs().get(3);
        assertTrue(md.contains("1 run of the plan not finished, not in the tables: " + missing.id() + ": pending"),
                md);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains(missing.id() + ": pending"));
        Table contrasts = report.contrasts();
        assertEquals(java.util.Set.of("train_per_class=1000", "train_per_class=20"),
                java.util.Set.copyOf(contrasts.stringColumn("setting").asList().subList(0, 2)),
                "a contrast within each protocol: " + contrasts.printAll());
    }

    @Test
    void contrastValuesAreNumbersAndTheMetricIsNamed() {
        Path s = tmp.resolve("values");
        ExperimentPlan plan = ExperimentPlan.expand(sweep());
        PlanFixtures.experiment(s, plan);
        double[][] accuracies = {{0.70, 0.50}, {0.40, 0.30}, {0.60, 0.55}, {0.35, 0.20}};
        for (int i = 0; i < 4; i++) {
            PlanFixtures.completed(s, plan, plan.runs().get(i), accuracies[i]);
        }
        ExperimentReport report = ExperimentReport.build(s, 0.6);
        Table t = report.contrasts();
        assertEquals(List.of("high vs low", "best: high vs low"), t.stringColumn("contrast").asList(),
                "1e-1 selects the runs at 0.1: " + report.headline());
        assertEquals(List.of("final_test_acc_pct", "best_test_acc_pct"), t.stringColumn("metric").asList());
        assertEquals((50 + 55) / 2.0 - (30 + 20) / 2.0, t.doubleColumn("difference_pts").getDouble(0), 1e-9);
        assertEquals((70 + 60) / 2.0 - (40 + 35) / 2.0, t.doubleColumn("difference_pts").getDouble(1), 1e-9);
        assertTrue(report.headline().get(1).startsWith("best: high vs low [best_test_acc_pct]: 65.0%"),
                report.headline().get(1));
    }

    @Test
    void aReferenceMatchesASettingEveryRunShares() {
        Path s = tmp.resolve("shared");
        ExperimentPlan plan = ExperimentPlan.expand(sweep());
        PlanFixtures.experiment(s, plan);
        plan.runs().forEach(r -> PlanFixtures.completed(s, plan, r, 0.45));
        Table t = ExperimentReport.build(s, 0.6).references();
        assertEquals(4, t.intColumn("measured_n").getInt(0), "depth 8 is every run's, though it does not vary");
        assertEquals(45.0, t.doubleColumn("measured_mean").getDouble(0), 1e-9);
    }

    // ---- folders written before experiment files existed ----

    /** BN completed, no-BN zero-residual completed, no-BN he diverged in epoch 1: one seed each, summary.json only. */
    private Path oldLayout() {
        Path old = tmp.resolve("old-results");
        RunFixtures.completed(old, "bn-he-s1", "batchnorm", "he", 1, epochs(0.45, 0.62, 0.713));
        RunFixtures.completed(old, "nobn-zr-s1", "none", "zero-residual", 1, epochs(0.30, 0.53, 0.52));
        RunFixtures.diverged(old, "nobn-he-s1", "none", "he", 1, epochs());
        return old;
    }

    @Test
    void anOldResultsFolderStillReports() {
        ExperimentReport report = ExperimentReport.build(oldLayout(), 0.6);
        assertEquals(List.of("model.normalization", "model.init"), report.varying(), "read from the summaries");
        List<String> expected = new java.util.ArrayList<>(List.of("run", "normalization", "init", "seed"));
        expected.addAll(OUTCOME_COLUMNS);
        assertEquals(expected, report.runs().columnNames());
        Table t = report.runs();
        assertEquals(List.of("bn-he-s1", "nobn-he-s1", "nobn-zr-s1"), t.stringColumn("run").asList());
        int bn = row(t, "run", "bn-he-s1");
        assertEquals(71.3, t.doubleColumn("final_test_acc_pct").getDouble(bn));
        assertEquals(2, t.intColumn("epochs_to_target").getInt(bn));
        assertEquals(20.0, t.doubleColumn("seconds_to_target").getDouble(bn));
        assertEquals("1", t.stringColumn("seed").get(bn));
        int he = row(t, "run", "nobn-he-s1");
        assertEquals("diverged", t.stringColumn("status").get(he));
        assertEquals(1, t.intColumn("diverged_epoch").getInt(he));
        assertTrue(t.doubleColumn("final_test_acc_pct").isMissing(he));

        // BN against each no-BN initialisation, as the comparison report did
        Table c = report.contrasts();
        assertEquals(List.of("BN vs no-BN (he)", "BN vs no-BN (zero-residual)"), c.stringColumn("contrast").asList());
        int zr = row(c, "contrast", "BN vs no-BN (zero-residual)");
        assertEquals(19.3, c.doubleColumn("difference_pts").getDouble(zr), 1e-9);
        assertTrue(c.doubleColumn("ci_low").isMissing(zr), "one run a side: no interval");
        assertTrue(c.booleanColumn("ci_includes_zero").isMissing(zr));
        List<String> headline = report.headline();
        assertEquals("BN vs no-BN (he): no comparison, every baseline run diverged before finishing an epoch",
                headline.get(0));
        assertTrue(headline.get(1).startsWith("BN vs no-BN (zero-residual): 71.3% (n = 1) vs 52.0% (n = 1);"),
                headline.get(1));
        assertTrue(headline.get(1).contains("+19.3 points (no confidence interval: n = 1 vs 1"), headline.get(1));
        assertEquals("normalization=none, init=he: diverged in 1 of 1 runs (epoch 1)", headline.get(2));
        assertTrue(report.toMarkdown().startsWith("# old-results\n"), "named after its folder");
    }

    @Test
    void activationsSummaryHasEachRunsLastSnapshotLayerByLayer() throws Exception {
        Path old = oldLayout();
        RunFolder bn = RunFolder.at(old.resolve("bn-he-s1"));
        ACTIVATIONS.writeEpoch(bn, 1, List.of(activation(1, 0, "stem_conv", 0.5), activation(1, 0, "pool", 0.6)));
        ACTIVATIONS.writeEpoch(bn, 3, List.of(activation(3, 40, "stem_conv", 0.7), activation(3, 40, "pool", 0.8),
                activation(3, 45, "stem_conv", 0.9), activation(3, 45, "pool", 1.0e-9)));
        RunFolder he = RunFolder.at(old.resolve("nobn-he-s1"));
        ACTIVATIONS.writeEpoch(he, 1, List.of(activation(1, 0, "stem_conv", Double.POSITIVE_INFINITY)));

        ExperimentReport report = ExperimentReport.build(old, 0.6);
        Table t = report.activations();
        assertEquals(List.of("run", "arm", "epoch", "iteration", "layer", "kind", "shape", "mean", "std", "min", "max",
                "mean_abs", "zero_fraction"), t.columnNames());
        assertEquals(List.of("bn-he-s1", "bn-he-s1", "nobn-he-s1"), t.stringColumn("run").asList(),
                "the run without activations.csv has no rows");
        assertEquals(List.of("stem_conv", "pool", "stem_conv"), t.stringColumn("layer").asList());
        assertEquals(List.of(45L, 45L, 0L), t.longColumn("iteration").asList());
        assertEquals(List.of(3, 3, 1), t.intColumn("epoch").asList());
        assertEquals(1.0e-9, t.doubleColumn("mean").getDouble(1), "not rounded away");
        assertEquals("normalization=none, init=he", t.stringColumn("arm").get(2));

        report.writeTo(old);
        List<String> csv = Files.readAllLines(old.resolve(ExperimentReport.ACTIVATIONS_CSV));
        assertEquals(4, csv.size());
        assertEquals("bn-he-s1,\"normalization=batchnorm, init=he\",3,45,stem_conv,conv,4x8x8x16,0.9,0.25,-1.0,2.0,"
                + "0.5,0.125", csv.get(1));
        assertTrue(report.toMarkdown().contains("`activations-summary.csv`"));
    }

    private static ActivationRow activation(int epoch, long iteration, String layer, double mean) {
        return new ActivationRow(epoch, iteration,
                new LayerActivationStats(layer, "conv", "4x8x8x16", mean, 0.25, -1.0, 2.0, 0.5, 0.125));
    }

    // ---- errors ----

    @Test
    void aCorruptSummaryIsNamed() throws Exception {
        Path summary = dir.resolve(run("none", "he", 3).id()).resolve("summary.json");
        Files.writeString(summary, "{\"run\": \"x\", \"status\": ");
        ResultsException e = assertThrows(ResultsException.class, () -> report());
        assertTrue(e.getMessage().contains(summary.toString()), e.getMessage());
    }

    @Test
    void aCorruptMetricsFileIsNamed() throws Exception {
        Path metrics = dir.resolve(run("batchnorm", "he", 1).id()).resolve("metrics.csv");
        Files.writeString(metrics, MetricsCsv.HEADER + "\n1,0.1,2.0\n");
        ResultsException e = assertThrows(ResultsException.class, () -> report());
        assertTrue(e.getMessage().contains(metrics.toString()), e.getMessage());
    }

    @Test
    void aCorruptExperimentRecordIsNamed() throws Exception {
        Path record = dir.resolve("experiment.json");
        Files.writeString(record, "{\"name\": ");
        ResultsException e = assertThrows(ResultsException.class, () -> report());
        assertTrue(e.getMessage().contains(record.toString()), e.getMessage());
    }

    @Test
    void noFinishedRunsIsAClearError() {
        Path empty = tmp.resolve("empty");
        RunFolder.at(empty.resolve("crashed")).writeMetrics(epochs(0.3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ExperimentReport.build(empty, 0.6));
        assertTrue(e.getMessage().startsWith("no finished runs in " + empty), e.getMessage());
    }

    @Test
    void theTargetMustBeAFraction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentReport.build(dir, 60));
        assertTrue(e.getMessage().contains("did you mean 0.6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExperimentReport.build(dir, 0));
        assertFalse(Files.exists(dir.resolve(ExperimentReport.RUNS_CSV)));
    }
}
