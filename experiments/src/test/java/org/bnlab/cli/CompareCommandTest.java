package org.bnlab.cli;

import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.model.Initialization;
import org.bnlab.model.Shortcut;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.spec.RunSpec;
import org.bnlab.testing.Backend;
import org.bnlab.testing.Home;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bnlab compare}: the short form of {@code bnlab run bn-vs-nobn}, each option a {@code --set} (or a
 * {@code --grid}) of the experiment file.
 */
@ExtendWith(Backend.class)
class CompareCommandTest {

    @BeforeAll
    static void home() {
        Home.install();
    }

    private static ExperimentOptions options(String... args) {
        return CommandLine.populateCommand(new CompareCommand(), args).options();
    }

    @Test
    void helpExitsZeroAndNamesThePathOfEachOption() {
        Console c = Console.run("compare", "--help");
        assertEquals(0, c.status(), c.toString());
        assertTrue(c.out().contains("--bn-decay") && c.out().contains("[model.normalization.decay]"), c.out());
        assertTrue(c.out().contains("[train.learning_rate]") && c.out().contains("--set"), c.out());
        assertEquals("", c.err());
    }

    @Test
    void withoutOptionsItIsTheExperimentFileAsWritten() {
        ExperimentOptions o = options();
        assertEquals("bn-vs-nobn", o.experiment);
        assertEquals(List.of(), o.sets);
        assertEquals(List.of(), o.grids);
        assertNull(o.out);
        assertEquals(Path.of("results", "bn-vs-nobn"), o.outDir(o.plan()));

        ExperimentPlan plan = o.plan();
        assertEquals(9, plan.runs().size(), "3 arms x 3 seeds");
        RunSpec bn = plan.runs().get(0).spec();
        assertEquals("cifar10", bn.data().dataset());
        assertEquals(600, bn.data().trainPerClass());
        assertEquals(200, bn.data().testPerClass());
        assertEquals(20, bn.model().depth());
        assertEquals(Shortcut.A, bn.model().shortcut());
        assertEquals(4, bn.train().epochs());
        assertEquals(128, bn.train().batchSize());
        assertEquals(0.1, bn.train().learningRate());
        assertEquals(0.9, bn.train().momentum());
        assertEquals(1e-4, bn.train().weightDecay());
        assertEquals(List.of(0.5, 0.75), bn.train().schedule().milestones());
        assertEquals(20, bn.measure().activationStatsEvery(), "a few activation snapshots per epoch (79 iterations)");
        assertEquals(List.of(BatchNorm.DEFAULT, NoNorm.DEFAULT, NoNorm.DEFAULT),
                plan.runs().subList(0, 3).stream().map(r -> r.spec().model().normalization()).toList());
        assertEquals(List.of(Initialization.HE, Initialization.HE, Initialization.ZERO_RESIDUAL),
                plan.runs().subList(0, 3).stream().map(r -> r.spec().model().init()).toList());
    }

    @Test
    void eachOptionIsASetOfItsPath() {
        ExperimentOptions o = options("--dataset", "cifar100", "--data-dir", "/data", "--no-download",
                "--skip-bad-images", "--image-size", "32", "--train-per-class", "10", "--test-per-class", "5",
                "--validation-per-class", "2", "--epochs", "9", "--batch-size", "64", "--momentum", "0.8",
                "--weight-decay", "0.0005", "--milestones", "0.3,0.6", "--divergence-factor", "50", "--depth", "56",
                "--shortcut", "B", "--normalization", "none", "--init", "he", "--bn-decay", "0.99", "--bn-eps",
                "0.001", "--layout", "nchw", "--kernels", "dl4j", "--target-accuracy", "0.5", "--stats-every", "0",
                "--set", "train.schedule.factor=0.2", "--out", "x/y");
        // in the specification's order (config.json's), the --set options last
        assertEquals(List.of("data.dataset=cifar100", "data.root=/data", "data.image_size=32",
                "data.train_per_class=10", "data.test_per_class=5", "data.validation_per_class=2",
                "data.download=false", "data.skip_bad_images=true", "model.depth=56", "model.shortcut=B",
                "model.normalization=none", "model.normalization.decay=0.99", "model.normalization.epsilon=0.001",
                "model.init=he", "train.epochs=9", "train.batch_size=64", "train.momentum=0.8",
                "train.weight_decay=5.0E-4", "train.schedule.milestones=[0.3, 0.6]", "train.divergence_factor=50.0",
                "eval.target_accuracy=0.5", "measure.activation_stats_every=0", "execution.layout=nchw",
                "execution.kernels=dl4j", "train.schedule.factor=0.2"), o.sets);
        assertEquals(List.of(), o.grids);
        assertEquals(Path.of("x/y"), o.out);
    }

    @Test
    void aTrainFractionTurnsThePerClassSubsetOff() {
        assertEquals(List.of("data.train_per_class=0", "data.train_fraction=0.25"),
                options("--train-fraction", "0.25").sets);
    }

    @Test
    void learningRatesAndSeedsBecomeGridAxes() {
        ExperimentOptions o = options("--lr", "0.1,0.01", "--seed", "3");
        assertEquals(List.of("train.learning_rate=0.1,0.01", "seed=3"), o.grids);
        ExperimentPlan plan = o.plan();
        assertEquals(6, plan.runs().size(), "3 arms x 2 learning rates x 1 seed");
        assertTrue(plan.runs().stream().allMatch(r -> r.spec().seed() == 3));
        assertEquals(List.of("model.normalization", "model.init", "train.learning_rate"), plan.varying());
    }

    @Test
    void overridesReachTheRuns() {
        ExperimentPlan plan = options("--dataset", "cifar100", "--depth", "56", "--shortcut", "b", "--epochs", "9",
                "--batch-size", "64", "--seed", "3", "--train-per-class", "0", "--test-per-class", "0",
                "--lr", "0.1,0.01", "--normalization", "none").plan();
        assertEquals(4, plan.runs().size(), "two no-BN arms at two learning rates");
        for (PlannedRun run : plan.runs()) {
            RunSpec s = run.spec();
            assertEquals("cifar100", s.data().dataset());
            assertEquals(0, s.data().trainPerClass(), "0 means all images");
            assertEquals(0, s.data().testPerClass());
            assertEquals(56, s.model().depth());
            assertEquals(Shortcut.B, s.model().shortcut());
            assertEquals(9, s.train().epochs());
            assertEquals(64, s.train().batchSize());
            assertEquals(3, s.seed());
            assertEquals(NoNorm.DEFAULT, s.model().normalization());
        }
    }

    @Test
    void badImagesStopTheRunUnlessSkippingIsAskedFor() {
        assertFalse(options().sets.contains("data.skip_bad_images=true"));
        assertTrue(options("--skip-bad-images").sets.contains("data.skip_bad_images=true"));
        assertTrue(options("--skip-bad-images").plan().runs().get(0).spec().data().skipBadImages());
    }

    @Test
    void normalizationAndInitKeepTheArmsWithThatValue() {
        assertEquals(List.of("model.normalization=batchnorm"), options("--normalization", "bn").sets);
        ExperimentPlan bn = options("--normalization", "BN").plan();
        assertEquals(3, bn.runs().size());
        assertTrue(bn.runs().stream().allMatch(r -> r.spec().model().normalization() instanceof BatchNorm));
        ExperimentPlan zr = options("--init", "zero-residual").plan();
        assertEquals(3, zr.runs().size());
    }

    @Test
    void anArmOutsideTheExperimentIsRefusedWithOneLine() {
        // compare keeps arms of experiments/bn-vs-nobn.yaml; BN with zero-residual init is not one of them
        Console c = Console.run("compare", "--normalization", "bn", "--init", "zero-residual", "--out", "unused");
        assertEquals(Bnlab.BAD_INPUT, c.status(), c.toString());
        assertEquals(1, c.err().lines().count(), c.err());
        assertTrue(c.err().startsWith("bnlab: error: --init zero-residual: model.init moves together with"),
                c.err());
    }

    @Test
    void batchNormParametersApplyToTheBatchNormArm() {
        ExperimentPlan plan = options("--bn-decay", "0.99").plan();
        assertEquals(9, plan.runs().size());
        assertEquals(new BatchNorm(0.99, 1e-5), plan.runs().get(0).spec().model().normalization());
    }
}
