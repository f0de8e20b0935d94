package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a run records besides its per-epoch metrics.
 *
 * @param activationStatsEvery training iterations between snapshots of per-layer activation statistics (mean, std,
 *                             min, max, mean |x|, zero fraction) written to the run's {@code activations.csv},
 *                             starting with the initialised network; 0 records none
 */
@JsonPropertyOrder({"activation_stats_every"})
public record MeasureSpec(int activationStatsEvery) {

    public static final MeasureSpec DEFAULT = new MeasureSpec(20);

    public MeasureSpec {
        require(activationStatsEvery >= 0, "activation_stats_every",
                "activation_stats_every must be >= 0 (0 = off), got "
                + activationStatsEvery);
    }
}
