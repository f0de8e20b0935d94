package org.bnlab.norm;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.Set;

/**
 * Layer Normalization (Ba et al. 2016) as Wu and He 2018 compare it: statistics of each sample over all its channels
 * and positions (C, H, W; after a Dense layer, its features), per-channel gamma and beta (not {@code nn.LayerNorm}'s
 * elementwise affine over C, H, W), no running statistics: {@link GroupNormalization} with one group.
 */
@JsonClassDescription("Ba et al. 2016")
@JsonPropertyOrder({"type", "epsilon"})
public record LayerNorm(
        @JsonPropertyDescription("added to the variance before the square root; positive")
        double epsilon) implements Normalizer {

    public static final String TYPE = "layernorm";
    public static final LayerNorm DEFAULT = new LayerNorm(1e-5);

    public LayerNorm {
        Normalizer.requireEpsilon(epsilon, "");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("ln", "layer-norm", "layer_norm");
    }

    @Override
    public List<Layer> afterConvolution(CNN2DFormat format, boolean zeroScale) {
        return List.of(GroupNormalization.of(TYPE, 1, epsilon, zeroScale ? 0.0 : 1.0, format));
    }

    @Override
    public List<Layer> afterDense() {
        return List.of(GroupNormalization.of(TYPE, 1, epsilon, 1.0, CNN2DFormat.NCHW));
    }

    @Override
    public boolean owns(Layer layer) {
        return GroupNormalization.builtBy(layer, TYPE);
    }

    @Override
    public Set<String> affineParameters() {
        return GroupNormalization.AFFINE;
    }

    @Override
    public Layer withAffineDecay(Layer layer, double weightDecay) {
        return GroupNormalization.withAffineDecay(layer, weightDecay);
    }
}
