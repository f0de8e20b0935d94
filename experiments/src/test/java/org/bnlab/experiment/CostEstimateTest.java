package org.bnlab.experiment;

import org.bnlab.spec.RunSpec;
import org.bnlab.testing.CalibrationRuns;
import org.bnlab.testing.CalibrationRuns.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bnlab.testing.CalibrationRuns.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan's cost estimate from finished runs whose records imply known speeds: the figures are arithmetic on the
 * fixtures' numbers (no timing).
 */
class CostEstimateTest {

    private static final double EXACT = 1e-9;

    @TempDir
    Path tmp;

    /** ResNet-20 on 5,000 training and 1,000 evaluation images, evaluation 4x faster than training. */
    private static Run resnet(String depth, String imageSize, double rate, Double outside) {
        return Run.completed(spec("model.depth", depth, "data.image_size", imageSize), 5_000, 1_000, rate, 4, 2,
                outside);
    }

    private Path calibrationRuns() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("results/old"));
        // reference-network rates: 250, 100 x 56/20 = 280, 1000 x (16/32)^2 = 250
        CalibrationRuns.write(dir, "a", resnet("20", "32", 250, 12.0));
        CalibrationRuns.write(dir, "b", resnet("56", "32", 100, 8.0));
        CalibrationRuns.write(dir, "c", resnet("20", "16", 1000, 20.0));
        // diverged in epoch 2 after a tenth of it at 10,000 images/s: only epoch 1 (250) is a speed
        CalibrationRuns.write(dir, "d", resnet("20", "32", 250, 30.0).divergedAfter(10_000));
        // recorded before seconds_outside_epochs existed: a speed, no start-up
        CalibrationRuns.write(dir, "e", resnet("20", "32", 250, null));
        // MLP 784-256-10 (the reference) on MNIST, evaluation 5x faster
        CalibrationRuns.write(dir, "f", Run.completed(spec("data.dataset", "mnist", "data.image_size", "28",
                "model.architecture", "mlp", "model.hidden", "[256]"), 10_000, 2_000, 2_000, 5, 2, 16.0));
        // another machine's, and a run too small to measure a speed: neither is used
        CalibrationRuns.write(dir, "g", resnet("20", "32", 10, 1_000.0).on("Another CPU"));
        CalibrationRuns.write(dir, "h", Run.completed(spec(), 100, 100, 1, 4, 2, 1_000.0));
        return dir;
    }

    @Test
    void calibratesFromThisMachinesFinishedRunsByTheFormula() throws Exception {
        Path dir = calibrationRuns();
        CostEstimate cost = CostEstimate.calibrate(List.of(dir));
        assertEquals(250, cost.resnetImagesPerSecond(), EXACT, "median of 250, 280, 250, 250, 250");
        assertEquals(2_000, cost.mlpImagesPerSecond(), EXACT);
        assertEquals(4, cost.evaluationSpeedup(), EXACT, "median of 4, 4, 4, 4, 4, 5");
        assertEquals(16, cost.startupSeconds(), EXACT, "median of 12, 8, 20, 30, 16");
        assertTrue(cost.source().startsWith("from 6 finished runs of this machine (6 in " + dir + ")"),
                cost.source());
        assertTrue(cost.source().contains("250 training images/s for ResNet-20, 2000 for an MLP 784-256-10, "
                + "evaluation 4.0x faster, 16s start-up per run"), cost.source());

        // ResNet-32 (1.6x ResNet-20's cost) for 3 epochs on the default 10,000 training and 2,000 test images:
        // 16 + 3 x (10,000 / 156.25 + 2,000 / (156.25 x 4)) = 16 + 3 x (64 + 3.2)
        RunSpec resnet32 = spec("model.depth", "32", "train.epochs", "3");
        assertEquals(16 + 3 * (64 + 3.2), cost.seconds(resnet32), 1e-6);
        // the MLP for 2 epochs (one evaluation speed-up for both networks): 16 + 2 x (10,000 / 2,000 + 2,000 / 8,000)
        RunSpec mlp = spec("data.dataset", "mnist", "data.image_size", "28", "model.architecture", "mlp",
                "model.hidden", "[256]", "train.epochs", "2");
        assertEquals(16 + 2 * (5 + 0.25), cost.seconds(mlp), 1e-6);
    }

    @Test
    void aDivergedEpochIsNoSpeed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("diverged"));
        // one completed epoch, then the diverged one
        CalibrationRuns.write(dir, "d", Run.completed(spec(), 5_000, 1_000, 250, 4, 1, 30.0).divergedAfter(10_000));
        CostEstimate cost = CostEstimate.calibrate(List.of(dir));
        assertEquals(250, cost.resnetImagesPerSecond(), EXACT, "its completed epoch's rate, not 10,000");
        assertEquals(4, cost.evaluationSpeedup(), EXACT);
    }

    @Test
    void withoutRunsOfThisMachineTheLineNamesTheDefaults() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path others = Files.createDirectories(tmp.resolve("others"));
        CalibrationRuns.write(others, "g", resnet("20", "32", 10, 1_000.0).on("Another CPU"));
        CalibrationRuns.write(others, "h", Run.completed(spec(), 100, 100, 1, 4, 2, 1_000.0));
        for (Path dir : List.of(empty, others)) {
            CostEstimate cost = CostEstimate.calibrate(List.of(dir));
            assertEquals(CostEstimate.DEFAULT_RESNET, cost.resnetImagesPerSecond(), EXACT);
            assertEquals(CostEstimate.DEFAULT_STARTUP, cost.startupSeconds(), EXACT);
            assertEquals("no finished runs of this machine in " + dir + ": defaults measured on a 2-core Intel Xeon "
                    + "(300 training images/s for ResNet-20, 3000 for an MLP 784-256-10, evaluation 3.5x faster, "
                    + "10 s start-up per run)", cost.source());
            // 10 + 4 default epochs x (10,000 / 300 + 2,000 / 1,050)
            assertEquals(10 + 4 * (10_000 / 300.0 + 2_000 / 1_050.0), cost.seconds(RunSpec.DEFAULT), 1e-6);
        }
    }

    @Test
    void aFigureNoRunMeasuredIsTheDefaultAndSaysSo() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("resnet-only"));
        CalibrationRuns.write(dir, "e", resnet("20", "32", 250, null));
        CostEstimate cost = CostEstimate.calibrate(List.of(dir));
        assertEquals(250, cost.resnetImagesPerSecond(), EXACT);
        assertEquals(CostEstimate.DEFAULT_MLP, cost.mlpImagesPerSecond(), EXACT);
        assertEquals(CostEstimate.DEFAULT_STARTUP, cost.startupSeconds(), EXACT);
        assertTrue(cost.source().contains("an MLP at the default 3000") && cost.source().contains(
                "the default 10 s start-up per run"), cost.source());
    }
}
