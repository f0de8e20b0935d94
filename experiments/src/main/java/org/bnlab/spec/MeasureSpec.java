package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * What a run records besides its per-epoch metrics.
 *
 * @param activationStatsEvery training iterations between snapshots of per-layer activation statistics (mean, std,
 *                             min, max, mean |x|, zero fraction) written to the run's {@code activations.csv},
 *                             starting with the initialised network; 0 records none
 * @param probeEvery           training iterations between probe snapshots (written to {@code probe.csv}): a fixed,
 *                             seeded batch of test images passed through the network in inference mode, giving
 *                             per layer the 15th, 50th and 85th percentiles, mean and std of its pre-activation
 *                             (Ioffe and Szegedy 2015, Figure 1), the gap between BN's running and batch statistics,
 *                             gradient and weight norms and the fraction of gammas near zero; starting with the
 *                             initialised network; 0 records none. A snapshot costs about 1.1-2.5 training
 *                             steps of ResNet-20 at batch 128 (64 probe images; measured on 2 cores), so the
 *                             default of 100 adds about 1-2.5% to training time, under the 5% the probe may
 *                             cost (README: benchmark {@code train+probe/100} measured +2.0%; at 50, +4.4%)
 * @param probeImages          images in the probe batch, >= 2
 * @param probeLayers          the layers whose percentiles the report plots over training; empty = the first, a
 *                             middle and the last weight layer
 */
@JsonPropertyOrder({"activation_stats_every", "probe_every", "probe_images", "probe_layers"})
public record MeasureSpec(int activationStatsEvery, int probeEvery, int probeImages, List<String> probeLayers) {

    public static final MeasureSpec DEFAULT = new MeasureSpec(20, 100, 64, List.of());

    public MeasureSpec {
        require(activationStatsEvery >= 0, "activation_stats_every",
                "activation_stats_every must be >= 0 (0 = off), got "
                + activationStatsEvery);
        require(probeEvery >= 0, "probe_every", "probe_every must be >= 0 (0 = off), got " + probeEvery);
        require(probeImages >= 2, "probe_images", "probe_images must be >= 2, got " + probeImages);
        require(probeLayers != null, "probe_layers", "probe_layers must be a list (empty = chosen automatically)");
        probeLayers = List.copyOf(probeLayers);
    }

    /** Activation statistics every {@code activationStatsEvery} iterations, the probe at its defaults. */
    public MeasureSpec(int activationStatsEvery) {
        this(activationStatsEvery, DEFAULT.probeEvery, DEFAULT.probeImages, DEFAULT.probeLayers);
    }
}
