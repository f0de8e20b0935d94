package org.bnlab.train;

import org.bnlab.results.EpochMetrics;

/** Where a trainer reports what it is doing: a progress bar on a console, nothing in tests. */
public interface TrainingProgress {

    /** A new epoch starts; {@code batches} steps follow. */
    void epochStarted(String run, int epoch, int epochs, int batches);

    /** One training step finished. */
    void stepDone(double batchLoss, double runningAccuracy, double imagesPerSecond);

    /** The epoch was trained and evaluated. */
    void epochDone(String run, EpochMetrics metrics);

    /** Reports nothing. */
    static TrainingProgress silent() {
        return new TrainingProgress() {
            @Override
            public void epochStarted(String run, int epoch, int epochs, int batches) {
            }

            @Override
            public void stepDone(double batchLoss, double runningAccuracy, double imagesPerSecond) {
            }

            @Override
            public void epochDone(String run, EpochMetrics metrics) {
            }
        };
    }
}
