package org.bnlab.report.plot;

import java.util.List;
import java.util.Objects;

import org.bnlab.results.ActivationRow;

/**
 * One arm of a comparison for {@link ActivationDepthPlot}: the activation statistics its runs recorded.
 *
 * @param label what sets the arm apart, shown in the legend, e.g. {@code normalization=none, init=he}
 * @param runs  the arm's runs, one per seed; may be empty
 */
public record ArmActivations(String label, List<Run> runs) {

    /**
     * One seed's activation snapshots, as read from its {@code activations.csv}.
     *
     * @param seed the run's seed (for the caller's bookkeeping; the plot does not show it)
     * @param rows every snapshot's rows; within a snapshot (one iteration) the layers in network order
     */
    public record Run(long seed, List<ActivationRow> rows) {
        public Run {
            rows = List.copyOf(rows);
        }
    }

    /** @throws NullPointerException if {@code label} or {@code runs} is null */
    public ArmActivations {
        Objects.requireNonNull(label, "label");
        runs = List.copyOf(runs);
    }
}
