package org.bnlab.report.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bnlab.results.ActivationRow;
import org.bnlab.results.EpochMetrics;
import org.bnlab.results.LayerActivationStats;

/** Synthetic, deterministic inputs for the plots: shapes like real CIFAR runs, numbers made up. */
final class PlotFixtures {

    private PlotFixtures() {
    }

    /**
     * Epochs 1..n of a run whose test accuracy rises towards {@code plateau} (0..1) and whose training loss falls,
     * with seed-dependent noise.
     */
    static List<EpochMetrics> curve(int epochs, double plateau, long seed) {
        Random random = new Random(seed);
        List<EpochMetrics> metrics = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double progress = 1.0 - Math.exp(-e / 4.0);
            double accuracy = 0.1 + (plateau - 0.1) * progress + 0.015 * random.nextGaussian();
            double loss = 2.3 * Math.exp(-e / 5.0) + 0.25 + 0.03 * random.nextGaussian();
            metrics.add(new EpochMetrics(e, 0.1, loss, accuracy + 0.03, loss * 1.1, accuracy, 30.0, 30.0 * e,
                    1600.0));
        }
        return metrics;
    }

    /**
     * Four arms: three seeds with BatchNorm; three seeds without, one of which diverged in epoch 9 and one that
     * stopped early; one seed that diverged in epoch 1 (no metrics at all); one seed alone, with a NaN loss.
     */
    static List<Arm> trainingArms() {
        List<EpochMetrics> nanLoss = new ArrayList<>(curve(12, 0.62, 40));
        EpochMetrics fifth = nanLoss.get(4);
        nanLoss.set(4, new EpochMetrics(5, 0.1, Double.NaN, fifth.trainAccuracy(), Double.NaN, fifth.testAccuracy(),
                30.0, 150.0, 1600.0));
        return List.of(
                new Arm("normalization=batchnorm, init=he", List.of(
                        new Arm.Run(1, curve(20, 0.91, 1), null),
                        new Arm.Run(2, curve(20, 0.90, 2), null),
                        new Arm.Run(3, curve(20, 0.92, 3), null))),
                new Arm("normalization=none, init=zero-residual", List.of(
                        new Arm.Run(1, curve(20, 0.80, 11), null),
                        new Arm.Run(2, curve(8, 0.78, 12), 9),
                        new Arm.Run(3, curve(16, 0.75, 13), null))),
                new Arm("normalization=none, init=he", List.of(new Arm.Run(1, List.of(), 1))),
                new Arm("normalization=none, init=fixup", List.of(new Arm.Run(1, nanLoss, null))));
    }

    /**
     * A snapshot of {@code layers} layers at {@code iteration} whose std and mean |x| are {@code scale * growth^i}
     * at layer i, with seed-dependent noise.
     */
    static List<ActivationRow> snapshot(int epoch, long iteration, int layers, double scale, double growth,
                                        long seed) {
        Random random = new Random(seed * 1000 + iteration);
        List<ActivationRow> rows = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            double std = scale * Math.pow(growth, i) * (1.0 + 0.1 * random.nextGaussian());
            double meanAbs = 0.8 * std * (1.0 + 0.05 * random.nextGaussian());
            rows.add(new ActivationRow(epoch, iteration, new LayerActivationStats("layer" + i, "conv",
                    "128x16x32x32", 0.0, std, -3 * std, 3 * std, meanAbs, 0.0)));
        }
        return rows;
    }

    /** {@code rows} with layer {@code layer}'s std and mean |x| replaced. */
    static List<ActivationRow> withLayer(List<ActivationRow> rows, int layer, double std, double meanAbs) {
        List<ActivationRow> changed = new ArrayList<>(rows);
        ActivationRow row = rows.get(layer);
        LayerActivationStats s = row.stats();
        changed.set(layer, new ActivationRow(row.epoch(), row.iteration(), new LayerActivationStats(s.layer(),
                s.kind(), s.shape(), s.mean(), std, s.min(), s.max(), meanAbs, s.zeroFraction())));
        return changed;
    }

    static List<ActivationRow> concat(List<ActivationRow> a, List<ActivationRow> b) {
        List<ActivationRow> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Three arms: BatchNorm (three seeds, 26 layers, flat), no BatchNorm (two seeds, 20 layers, growing with depth
     * at initialisation and more at the end; a NaN std in one seed, a dead layer with std 0 in both), and one seed
     * with a single snapshot.
     */
    static List<ArmActivations> activationArms() {
        List<ArmActivations.Run> bn = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            bn.add(new ArmActivations.Run(seed, concat(snapshot(1, 0, 26, 1.0, 1.0, seed),
                    snapshot(20, 7800, 26, 0.9, 1.01, seed))));
        }
        List<ArmActivations.Run> none = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            List<ActivationRow> last = snapshot(20, 7800, 20, 1.0, 2.0, seed);
            last = withLayer(last, 12, 0.0, 0.0);
            if (seed == 2) {
                last = withLayer(last, 5, Double.NaN, Double.NaN);
            }
            none.add(new ArmActivations.Run(seed, concat(snapshot(1, 0, 20, 1.0, 1.15, seed), last)));
        }
        return List.of(
                new ArmActivations("normalization=batchnorm, init=he", bn),
                new ArmActivations("normalization=none, init=he", none),
                new ArmActivations("normalization=none, init=fixup",
                        List.of(new ArmActivations.Run(1, snapshot(1, 0, 20, 0.5, 0.97, 9)))));
    }

    /**
     * A learning-rate sweep from 0.01 to 1: BatchNorm with three seeds (one diverged at lr 1), no BatchNorm with
     * three seeds (one diverged at 0.1, all at 0.3 and 1), and one seed alone (diverged at 1).
     */
    static List<SweepArm> sweepArms() {
        return List.of(
                new SweepArm("normalization=batchnorm, init=he", List.of(
                        new SweepArm.Point(0.01, List.of(0.86, 0.87, 0.865), 0),
                        new SweepArm.Point(0.03, List.of(0.89, 0.895, 0.9), 0),
                        new SweepArm.Point(0.1, List.of(0.915, 0.91, 0.92), 0),
                        new SweepArm.Point(0.3, List.of(0.905, 0.9, 0.89), 0),
                        new SweepArm.Point(1.0, List.of(0.80, 0.84), 1))),
                new SweepArm("normalization=none, init=he", List.of(
                        new SweepArm.Point(0.01, List.of(0.78, 0.80, 0.76), 0),
                        new SweepArm.Point(0.03, List.of(0.80, 0.83, 0.79), 0),
                        new SweepArm.Point(0.1, List.of(0.70, 0.75), 1),
                        new SweepArm.Point(0.3, List.of(), 3),
                        new SweepArm.Point(1.0, List.of(), 3))),
                new SweepArm("normalization=none, init=fixup", List.of(
                        new SweepArm.Point(0.01, List.of(0.82), 0),
                        new SweepArm.Point(0.1, List.of(0.87), 0),
                        new SweepArm.Point(1.0, List.of(), 1))));
    }
}
