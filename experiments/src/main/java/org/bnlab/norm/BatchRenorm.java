package org.bnlab.norm;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Batch Renormalization (Ioffe 2017, "Batch Renormalization: Towards Reducing Minibatch Dependence in
 * Batch-Normalized Models", Algorithm 1) after every convolution or hidden Dense layer: BN whose normalised output
 * is corrected towards the running statistics, x_hat * r + d with r = clip(sigma_B / sigma, 1/r_max, r_max) and
 * d = clip((mu_B - mu) / sigma, -d_max, d_max) held constant in backpropagation; running statistics and inference
 * as BN's. Its layer is {@link GhostBatchRenormalization} over the whole batch (ND4J operations on every backend).
 *
 * <p>The limits follow the paper's schedule (section 4, its experiments' setup): r_max = 1, d_max = 0 (plain BN)
 * for the first 5000 steps, "gradually relaxed to reach r_max = 3 at 40k steps, and d_max = 5 at 25k steps"; the
 * paper does not say how, so here both rise linearly: r_max from 1 to {@code r_max} over {@code r_max_ramp_steps}
 * steps after {@code warmup_steps}, d_max from 0 to {@code d_max} over {@code d_max_ramp_steps}. A step is one
 * parameter update (DL4J's iteration count, kept by checkpoints). The paper also used a faster running-average
 * update than for BN; here {@code decay} is BN's, the same default.
 */
@JsonClassDescription("Ioffe 2017")
@JsonPropertyOrder({"type", "decay", "epsilon", "r_max", "d_max", "warmup_steps", "r_max_ramp_steps",
        "d_max_ramp_steps"})
public record BatchRenorm(
        @JsonPropertyDescription("batchrenorm: running-average decay, as BN's (`decay`); in [0, 1)")
        double decay,
        @JsonPropertyDescription("batchrenorm: added to the variance before the square root; positive")
        double epsilon,
        @JsonPropertyDescription("batchrenorm: the largest r_max, reached at the end of its ramp; r is clipped to "
                + "[1/r_max, r_max]; >= 1 (Ioffe 2017: 3)")
        double rMax,
        @JsonPropertyDescription("batchrenorm: the largest d_max, reached at the end of its ramp; d is clipped to "
                + "[-d_max, d_max]; >= 0 (Ioffe 2017: 5)")
        double dMax,
        @JsonPropertyDescription("batchrenorm: steps (parameter updates) of plain BN (r_max = 1, d_max = 0) before "
                + "the ramps start; >= 0 (Ioffe 2017: 5000)")
        long warmupSteps,
        @JsonPropertyDescription("batchrenorm: steps over which r_max rises linearly from 1 to `r_max`; >= 0 "
                + "(Ioffe 2017: 35000, reaching 3 at step 40k)")
        long rMaxRampSteps,
        @JsonPropertyDescription("batchrenorm: steps over which d_max rises linearly from 0 to `d_max`; >= 0 "
                + "(Ioffe 2017: 20000, reaching 5 at step 25k)")
        long dMaxRampSteps) implements Normalizer {

    public static final String TYPE = "batchrenorm";
    /** The paper's settings (section 4), with BN's decay and epsilon. */
    public static final BatchRenorm DEFAULT = new BatchRenorm(BatchNorm.DEFAULT.decay(), BatchNorm.DEFAULT.epsilon(),
            3, 5, 5000, 35000, 20000);

    public BatchRenorm {
        Normalizer.requireDecay(decay, "batchrenorm ");
        Normalizer.requireEpsilon(epsilon, "batchrenorm ");
        Normalizer.require(rMax >= 1 && Double.isFinite(rMax), "r_max", "r_max must be at least 1, got " + rMax);
        Normalizer.require(dMax >= 0 && Double.isFinite(dMax), "d_max", "d_max must be at least 0, got " + dMax);
        Normalizer.require(warmupSteps >= 0, "warmup_steps", "warmup_steps must be at least 0, got " + warmupSteps);
        Normalizer.require(rMaxRampSteps >= 0, "r_max_ramp_steps",
                "r_max_ramp_steps must be at least 0, got " + rMaxRampSteps);
        Normalizer.require(dMaxRampSteps >= 0, "d_max_ramp_steps",
                "d_max_ramp_steps must be at least 0, got " + dMaxRampSteps);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("brn", "batch-renorm", "batch_renorm");
    }

    private GhostBatchRenormalization layer(double gamma, CNN2DFormat format) {
        return GhostBatchRenormalization.of(TYPE, 0, rMax, dMax, warmupSteps, rMaxRampSteps, dMaxRampSteps, decay,
                epsilon, gamma, format);
    }

    @Override
    public List<Layer> afterConvolution(CNN2DFormat format, boolean zeroScale) {
        return List.of(layer(zeroScale ? 0.0 : 1.0, format));
    }

    @Override
    public List<Layer> afterDense() {
        return List.of(layer(1.0, CNN2DFormat.NCHW));
    }

    @Override
    public boolean owns(Layer layer) {
        return GhostBatchRenormalization.builtBy(layer, TYPE);
    }

    @Override
    public Set<String> affineParameters() {
        return BatchNorm.DEFAULT.affineParameters();
    }

    @Override
    public Set<String> runningStatisticKeys() {
        return BatchNorm.DEFAULT.runningStatisticKeys();
    }

    @Override
    public Optional<RunningStatistics> statisticsOf(Layer layer) {
        return GhostBatchRenormalization.statisticsOf(layer, TYPE);
    }

    @Override
    public Layer withAffineDecay(Layer layer, double weightDecay) {
        return GhostBatchRenormalization.withAffineDecay(layer, weightDecay);
    }
}
