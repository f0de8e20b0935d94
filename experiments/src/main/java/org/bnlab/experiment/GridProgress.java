package org.bnlab.experiment;

import org.bnlab.results.EpochMetrics;
import org.bnlab.train.TrainingProgress;

import java.io.PrintStream;

/**
 * Passes training progress on and adds where the grid stands: after each epoch, the estimated time left for the
 * run and for the whole grid, from the mean epoch time measured so far in this process (runs of one grid are of
 * similar size; a run that diverges ends early, so the grid estimate is an upper bound).
 */
final class GridProgress implements TrainingProgress {

    private final TrainingProgress inner;
    private final PrintStream log;
    private double secondsMeasured;
    private int epochsMeasured;
    private int epochsLeftInRun;
    private int epochsLeftAfterRun;

    GridProgress(TrainingProgress inner, PrintStream log) {
        this.inner = inner;
        this.log = log;
    }

    /** A run starts; {@code epochsLeftAfterRun} epochs remain in the runs after it. */
    void runStarted(int epochsLeftAfterRun) {
        this.epochsLeftAfterRun = epochsLeftAfterRun;
    }

    @Override
    public void epochStarted(String run, int epoch, int epochs, int batches) {
        // from the trainer, which knows where the checkpoint left off
        epochsLeftInRun = epochs - epoch + 1;
        inner.epochStarted(run, epoch, epochs, batches);
    }

    @Override
    public void stepDone(double batchLoss, double runningAccuracy, double imagesPerSecond) {
        inner.stepDone(batchLoss, runningAccuracy, imagesPerSecond);
    }

    @Override
    public void epochDone(String run, EpochMetrics metrics) {
        inner.epochDone(run, metrics);
        secondsMeasured += metrics.epochSeconds();
        epochsMeasured++;
        epochsLeftInRun = Math.max(0, epochsLeftInRun - 1);
        double perEpoch = secondsMeasured / epochsMeasured;
        log.printf("  time left: run %s, grid %s%n", Durations.format(perEpoch * epochsLeftInRun),
                Durations.format(perEpoch * (epochsLeftInRun + epochsLeftAfterRun)));
    }
}
