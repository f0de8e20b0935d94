package org.bnlab.train;

import org.bnlab.results.EpochMetrics;

import java.util.List;
import java.util.OptionalDouble;

/**
 * How a run ended.
 *
 * @param diverged       whether it was stopped as diverged
 * @param divergedEpoch  the epoch in which it diverged (1-based), or null
 * @param divergedReason what the guard saw, or null
 * @param epochs         one row per epoch trained (a diverged epoch included, evaluated as the network stood)
 */
public record TrainingOutcome(boolean diverged, Integer divergedEpoch, String divergedReason,
                              List<EpochMetrics> epochs) {

    public TrainingOutcome {
        epochs = List.copyOf(epochs);
    }

    /**
     * Test accuracy (0..1) after the last completed epoch; null when none completed. A diverged epoch is evaluated
     * and recorded in {@code metrics.csv}, but the network it left is not a trained result, so it does not count.
     */
    public Double finalTestAccuracy() {
        List<EpochMetrics> completed = completed();
        return completed.isEmpty() ? null : completed.get(completed.size() - 1).testAccuracy();
    }

    /** The best test accuracy (0..1) over completed epochs; null when none completed. */
    public Double bestTestAccuracy() {
        OptionalDouble best = completed().stream().mapToDouble(EpochMetrics::testAccuracy).filter(Double::isFinite)
                .max();
        return best.isPresent() ? best.getAsDouble() : null;
    }

    private List<EpochMetrics> completed() {
        return epochs.subList(0, epochsCompleted());
    }

    public double totalSeconds() {
        return epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).elapsedSeconds();
    }

    /** Epochs fully trained (a diverged epoch does not count). */
    public int epochsCompleted() {
        return diverged ? epochs.size() - 1 : epochs.size();
    }
}
