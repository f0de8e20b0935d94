package org.bnlab.train;

import java.util.Optional;

/**
 * Decides when a run has diverged, so that it stops cleanly and is recorded as such instead of crashing or burning
 * hours at chance level: a batch loss that is NaN or infinite, or that exceeds {@code factor} times the reference
 * loss. The reference is the larger of ln(classes) (a uniform guess) and the run's first batch loss, so a network
 * that starts badly (a deep ResNet without BN and He initialisation starts far above ln(classes)) is judged by
 * how far it moves from where it started.
 */
final class DivergenceGuard {

    private final double factor;
    private final double chanceLoss;
    private double firstLoss;

    /**
     * @param firstLoss the run's first batch loss when resuming a run, or NaN for a new run (then the first loss
     *                  checked becomes it)
     */
    DivergenceGuard(double factor, int numClasses, double firstLoss) {
        this.factor = factor;
        this.chanceLoss = Math.log(numClasses);
        this.firstLoss = firstLoss;
    }

    /** The reason the run diverged at this batch, or empty if it goes on. */
    Optional<String> check(double batchLoss, int iteration) {
        if (Double.isNaN(batchLoss) || Double.isInfinite(batchLoss)) {
            return Optional.of("loss became " + batchLoss + " at iteration " + iteration);
        }
        if (Double.isNaN(firstLoss)) {
            firstLoss = batchLoss;
        }
        double limit = factor * reference();
        if (batchLoss > limit) {
            return Optional.of(String.format("loss %.4g at iteration %d exceeded %.0fx its reference %.4g",
                    batchLoss, iteration, factor, reference()));
        }
        return Optional.empty();
    }

    double reference() {
        return Double.isNaN(firstLoss) ? chanceLoss : Math.max(chanceLoss, firstLoss);
    }

    /** The first batch loss of the run (NaN until one was seen), saved with checkpoints. */
    double firstLoss() {
        return firstLoss;
    }
}
