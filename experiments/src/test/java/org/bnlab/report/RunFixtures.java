package org.bnlab.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;

/** Hand-made run folders: resnet20 on cifar10 at lr 0.1 for 3 planned epochs, 10 s per epoch. */
final class RunFixtures {

    private RunFixtures() {
    }

    /** Epochs 1..n with the given test accuracies; epoch k ends at elapsed 10*k seconds. */
    static List<EpochMetrics> epochs(double... testAccuracies) {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int i = 0; i < testAccuracies.length; i++) {
            int epoch = i + 1;
            epochs.add(new EpochMetrics(epoch, 0.1, 2.0 / epoch, testAccuracies[i] + 0.05, 2.1 / epoch,
                    testAccuracies[i], 10.0, 10.0 * epoch, 5000.0));
        }
        return epochs;
    }

    static void completed(Path comparisonDir, String name, String normalization, String init, long seed,
                          List<EpochMetrics> epochs) {
        write(comparisonDir, name, normalization, init, seed, RunStatus.COMPLETED, null, epochs);
    }

    /** A run that diverged in epoch {@code epochs.size() + 1}. A run diverging in epoch 1 has no metrics.csv. */
    static void diverged(Path comparisonDir, String name, String normalization, String init, long seed,
                         List<EpochMetrics> epochs) {
        write(comparisonDir, name, normalization, init, seed, RunStatus.DIVERGED, epochs.size() + 1, epochs);
    }

    private static void write(Path comparisonDir, String name, String normalization, String init, long seed,
                              RunStatus status, Integer divergedEpoch, List<EpochMetrics> epochs) {
        RunFolder folder = RunFolder.at(comparisonDir.resolve(name));
        if (!epochs.isEmpty()) {
            folder.writeMetrics(epochs);
        }
        Double finalAccuracy = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1).testAccuracy();
        Double best = epochs.stream().mapToDouble(EpochMetrics::testAccuracy).boxed().max(Double::compare).orElse(null);
        folder.writeSummary(new RunSummary(name, status, divergedEpoch,
                divergedEpoch == null ? null : "loss became NaN at iteration 37", "cifar10", "resnet20", 20, "A",
                normalization, init, 0.1, 128, 3, epochs.size(), seed, 50000, 10000, finalAccuracy, best,
                10.0 * epochs.size() + 1.5));
    }
}
