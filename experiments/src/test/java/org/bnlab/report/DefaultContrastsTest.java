package org.bnlab.report;

import org.bnlab.experiment.ExperimentFiles;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A folder whose experiment declares no contrasts compares, when the normalization varies, BN with no BN and every
 * other normalizer's arm with BN's, named by the arms' labels; declared contrasts may name an arm by a short form.
 */
class DefaultContrastsTest {

    @TempDir
    Path tmp;

    private ExperimentPlan plan(String... lines) throws IOException {
        Path file = Files.writeString(tmp.resolve("x.yaml"), String.join("\n", lines) + "\n");
        return ExperimentPlan.expand(ExperimentFiles.load(file));
    }

    /** Every run finished; its final accuracy is {@code accuracy(run)}. */
    private Path finished(ExperimentPlan plan, java.util.function.ToDoubleFunction<PlannedRun> accuracy) {
        Path dir = tmp.resolve(plan.experiment().name());
        PlanFixtures.experiment(dir, plan);
        plan.runs().forEach(r -> PlanFixtures.completed(dir, plan, r, 0.2, accuracy.applyAsDouble(r)));
        return dir;
    }

    private static double seedShift(PlannedRun run) {
        return run.spec().seed() == 1 ? -0.01 : 0.01;
    }

    @Test
    void eachNormalizerIsComparedWithBnAndBnWithNone() throws IOException {
        ExperimentPlan plan = plan("name: norms", "base: {model.depth: 8}",
                "grid: {model.normalization: [batchnorm, {type: groupnorm, groups: 8}, layernorm, none]}",
                "seeds: [1, 2]");
        Path dir = finished(plan, r -> switch (r.spec().model().normalization().type()) {
            case "batchnorm" -> 0.60;
            case "groupnorm" -> 0.55;
            case "layernorm" -> 0.50;
            default -> 0.30;
        } + seedShift(r));
        Table t = ExperimentReport.build(dir, 0.6).contrasts();
        assertEquals(List.of("BN vs no-BN", "{type:groupnorm,groups:8} vs BN", "layernorm vs BN"),
                t.stringColumn("contrast").asList(), t.printAll());
        assertEquals(30.0, t.doubleColumn("difference_pts").getDouble(0), 1e-6);
        assertEquals(-5.0, t.doubleColumn("difference_pts").getDouble(1), 1e-6);
        assertEquals(-10.0, t.doubleColumn("difference_pts").getDouble(2), 1e-6);
        assertEquals(List.of(2, 2, 2), t.intColumn("treatment_n").asList());
        String md = ExperimentReport.build(dir, 0.6).toMarkdown();
        assertTrue(md.contains("{type:groupnorm,groups:8} vs BN: "), md);
    }

    @Test
    void withoutANoneArmBnIsOnlyTheReference_aGhostArmPairsWithBnAtItsOwnBatch() throws IOException {
        ExperimentPlan plan = plan("name: ghost", "base: {model.depth: 8}", "zip:",
                "  - train.batch_size: [128, 1024, 1024]",
                "    train.learning_rate: [0.1, 0.2828, 0.2828]",
                "    model.normalization: [batchnorm, batchnorm, {type: ghostbatchnorm, virtual_batch_size: 128}]",
                "seeds: [1, 2]");
        Path dir = finished(plan, r -> (r.spec().train().batchSize() == 128 ? 0.60
                : r.spec().model().normalization().type().equals("batchnorm") ? 0.50 : 0.56) + seedShift(r));
        Table t = ExperimentReport.build(dir, 0.6).contrasts();
        assertEquals(List.of("{type:ghostbatchnorm,virtual_batch_size:128} vs BN"),
                t.stringColumn("contrast").asList(), t.printAll());
        assertEquals("batch_size=1024, learning_rate=0.2828", t.stringColumn("setting").get(0));
        assertEquals(6.0, t.doubleColumn("difference_pts").getDouble(0), 1e-6);
        assertFalse(ExperimentReport.build(dir, 0.6).toMarkdown().contains("no-BN"));
    }

    @Test
    void aDeclaredContrastMayNameAnArmByItsShortForm() throws IOException {
        ExperimentPlan plan = plan("name: short", "base: {model.depth: 8}",
                "grid: {model.normalization: [batchnorm, {type: groupnorm, groups: 8}]}", "seeds: [1, 2]",
                "contrasts:", "  - \"model.normalization: gn vs bn\"",
                "  - {name: by parameters, treatment: {model.normalization: groupnorm(groups=8)},"
                        + " baseline: {model.normalization: batchnorm}}");
        Path dir = finished(plan, r -> (r.spec().model().normalization().type().equals("batchnorm") ? 0.6 : 0.5)
                + seedShift(r));
        Table t = ExperimentReport.build(dir, 0.6).contrasts();
        assertEquals(List.of("normalization=gn vs normalization=bn", "by parameters"),
                t.stringColumn("contrast").asList(), t.printAll());
        assertEquals(List.of(-10.0, -10.0), t.doubleColumn("difference_pts").asList());
    }
}
