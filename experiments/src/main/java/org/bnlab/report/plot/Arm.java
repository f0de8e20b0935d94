package org.bnlab.report.plot;

import java.util.List;
import java.util.Objects;

import org.bnlab.results.EpochMetrics;

/**
 * One arm of a comparison for {@link TrainingCurvesPlot}: runs that differ only in their seed.
 *
 * @param label what sets the arm apart, shown in the legend, e.g. {@code normalization=none, init=he}
 * @param runs  the arm's runs, one per seed; may be empty (the arm then only takes a colour)
 */
public record Arm(String label, List<Run> runs) {

    /**
     * One seed's training curve.
     *
     * @param seed          the run's seed (for the caller's bookkeeping; the plot does not show it)
     * @param epochs        the metrics of the epochs the run finished, in any order; a run that diverged has none
     *                      for the epoch it diverged in
     * @param divergedEpoch the 1-based epoch in which the run diverged, or null if it did not
     * @throws IllegalArgumentException if {@code divergedEpoch} is less than 1
     */
    public record Run(long seed, List<EpochMetrics> epochs, Integer divergedEpoch) {
        public Run {
            epochs = List.copyOf(epochs);
            if (divergedEpoch != null && divergedEpoch < 1) {
                throw new IllegalArgumentException("diverged epoch must be 1 or more, got " + divergedEpoch);
            }
        }
    }

    /** @throws NullPointerException if {@code label} or {@code runs} is null */
    public Arm {
        Objects.requireNonNull(label, "label");
        runs = List.copyOf(runs);
    }
}
