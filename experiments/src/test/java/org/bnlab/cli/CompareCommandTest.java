package org.bnlab.cli;

import org.bnlab.experiment.Comparison;
import org.bnlab.experiment.Variant;
import org.bnlab.model.Initialization;
import org.bnlab.model.Normalization;
import org.bnlab.model.Shortcut;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CompareCommandTest {

    private static Comparison.Plan plan(String... args) {
        CompareCommand command = new CompareCommand();
        new CommandLine(command).parseArgs(args);
        return command.plan();
    }

    @Test
    void theDefaultIsTheThreeArmComparisonOnACifar10SubsetAtLearningRate01() {
        Comparison.Plan plan = plan();
        assertEquals(List.of(
                new Variant(Normalization.BATCHNORM, Initialization.HE, 0.1),
                new Variant(Normalization.NONE, Initialization.HE, 0.1),
                new Variant(Normalization.NONE, Initialization.ZERO_RESIDUAL, 0.1)), plan.variants());
        assertEquals("cifar10", plan.data().dataset());
        assertEquals(1000, plan.data().trainPerClass());
        assertEquals(200, plan.data().testPerClass());
        assertEquals(20, plan.model().depth());
        assertEquals(Shortcut.A, plan.model().shortcut());
        assertEquals(128, plan.training().batchSize());
        assertEquals(0.9, plan.training().momentum());
        assertEquals(1e-4, plan.training().weightDecay());
        assertEquals(List.of(0.5, 0.75), plan.training().milestones());
        assertEquals(20, plan.activationStatsEvery(), "a few activation snapshots per epoch (79 iterations)");
    }

    @Test
    void activationStatisticsCanBeTurnedOff() {
        assertEquals(0, plan("--stats-every", "0").activationStatsEvery());
        assertEquals(1, plan("--stats-every", "1").activationStatsEvery());
    }

    @Test
    void overridesReachThePlan() {
        Comparison.Plan plan = plan("--dataset", "cifar100", "--depth", "56", "--shortcut", "b", "--epochs", "9",
                "--batch-size", "64", "--seed", "3", "--train-per-class", "0", "--test-per-class", "0",
                "--lr", "0.1,0.01", "--normalization", "none", "--out", "x/y");
        assertEquals("cifar100", plan.data().dataset());
        assertNull(plan.data().trainPerClass(), "0 means all images");
        assertNull(plan.data().testPerClass());
        assertEquals(56, plan.model().depth());
        assertEquals(Shortcut.B, plan.model().shortcut());
        assertEquals(9, plan.training().epochs());
        assertEquals(64, plan.training().batchSize());
        assertEquals(3, plan.training().seed());
        assertEquals(4, plan.variants().size(), "two no-BN arms at two learning rates");
        assertTrue(plan.variants().stream().allMatch(v -> v.normalization() == Normalization.NONE));
        assertEquals(java.nio.file.Path.of("x/y"), plan.outDir());
    }

    @Test
    void badImagesStopTheRunUnlessSkippingIsAskedFor() {
        assertFalse(plan().data().skipBadImages());
        assertTrue(plan("--skip-bad-images").data().skipBadImages());
    }

    @Test
    void anArmOutsideTheDefaultsCanBeAskedFor() {
        Comparison.Plan plan = plan("--normalization", "bn", "--init", "zero-residual");
        assertEquals(List.of(new Variant(Normalization.BATCHNORM, Initialization.ZERO_RESIDUAL, 0.1)),
                plan.variants());
    }

    @Test
    void runIdsNameTheArm() {
        assertEquals("bn-he-lr0.1", new Variant(Normalization.BATCHNORM, Initialization.HE, 0.1).id());
        assertEquals("nobn-zero-residual-lr0.01",
                new Variant(Normalization.NONE, Initialization.ZERO_RESIDUAL, 0.01).id());
    }
}
