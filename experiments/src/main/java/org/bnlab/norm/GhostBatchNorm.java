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
 * Ghost Batch Normalization (Hoffer, Hubara and Soudry 2017, "Train longer, generalize better", section 4) after
 * every convolution or hidden Dense layer: in training, BN whose statistics are taken over ghost batches of
 * {@code virtual_batch_size} consecutive examples of the batch, each normalised by its own (the last one smaller
 * when the size does not divide the batch; a batch no larger than the size is one ghost batch: plain BN). The
 * running statistics are updated as BN's once per ghost batch in order, as in the authors' code (which runs the
 * network on each ghost batch in turn, so PyTorch's BN updates them per ghost batch); inference as BN's. Its layer
 * is {@link GhostBatchRenormalization} without corrections (ND4J operations on every backend).
 */
@JsonClassDescription("Hoffer et al. 2017")
@JsonPropertyOrder({"type", "decay", "epsilon", "virtual_batch_size"})
public record GhostBatchNorm(
        @JsonPropertyDescription("ghostbatchnorm: running-average decay, as BN's (`decay`), applied once per ghost "
                + "batch; in [0, 1)")
        double decay,
        @JsonPropertyDescription("ghostbatchnorm: added to the variance before the square root; positive")
        double epsilon,
        @JsonPropertyDescription("ghostbatchnorm: examples per ghost batch, >= 1 (Hoffer et al. 2017: 128); the "
                + "last ghost batch of a batch it does not divide is smaller")
        int virtualBatchSize) implements Normalizer {

    public static final String TYPE = "ghostbatchnorm";
    /** Ghost batches of 128, the authors' code's default, with BN's decay and epsilon. */
    public static final GhostBatchNorm DEFAULT = new GhostBatchNorm(BatchNorm.DEFAULT.decay(),
            BatchNorm.DEFAULT.epsilon(), 128);

    public GhostBatchNorm {
        Normalizer.requireDecay(decay, "ghostbatchnorm ");
        Normalizer.requireEpsilon(epsilon, "ghostbatchnorm ");
        Normalizer.require(virtualBatchSize >= 1, "virtual_batch_size",
                "virtual_batch_size must be at least 1, got " + virtualBatchSize);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("gbn", "ghost-bn", "ghost_bn", "ghost-batch-norm", "ghost_batch_norm");
    }

    private GhostBatchRenormalization layer(double gamma, CNN2DFormat format) {
        return GhostBatchRenormalization.of(TYPE, virtualBatchSize, 1, 0, 0, 0, 0, decay, epsilon, gamma, format);
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
