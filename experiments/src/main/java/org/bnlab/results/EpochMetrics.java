package org.bnlab.results;

/**
 * What one finished epoch measured: one row of {@code metrics.csv}.
 *
 * <p>Accuracies are fractions in 0..1. Losses may be {@code NaN} or infinite for an epoch in
 * which training diverged; they are kept as they are rather than dropped, because the point of
 * several experiments is to show exactly when and how a network without BatchNorm blows up.
 *
 * @param epoch                1-based epoch number
 * @param learningRate         learning rate used during this epoch (after any schedule)
 * @param trainLoss            mean training loss over the epoch
 * @param trainAccuracy        training accuracy over the epoch, 0..1
 * @param testLoss             mean test loss after the epoch
 * @param testAccuracy         test accuracy after the epoch, 0..1
 * @param epochSeconds         wall-clock seconds this epoch took (training and evaluation)
 * @param elapsedSeconds       wall-clock seconds since the run started, at the end of this epoch
 * @param trainImagesPerSecond training throughput during this epoch
 */
public record EpochMetrics(
        int epoch,
        double learningRate,
        double trainLoss,
        double trainAccuracy,
        double testLoss,
        double testAccuracy,
        double epochSeconds,
        double elapsedSeconds,
        double trainImagesPerSecond) {
}
