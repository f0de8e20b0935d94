package org.bnlab.norm;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.Set;

/**
 * Group Normalization (Wu and He 2018) after every convolution or hidden Dense layer: statistics of each sample over
 * groups of channels (and all positions), per-channel gamma and beta, no running statistics; the layer is
 * {@link GroupNormalization} (plain ND4J operations, on both kernel paths and every backend). A layer with C
 * channels uses min(groups, C) groups, which must divide C (see {@link GroupNormalization}); after a Dense layer the
 * features are the channels.
 */
@JsonClassDescription("Wu and He 2018")
@JsonPropertyOrder({"type", "groups", "epsilon"})
public record GroupNorm(
        @JsonPropertyDescription("number of channel groups, >= 1 (32 is the paper's); a layer with fewer channels "
                + "uses one group per channel, and the groups must divide a layer's channels")
        int groups,
        @JsonPropertyDescription("added to the variance before the square root; positive")
        double epsilon) implements Normalizer {

    public static final String TYPE = "groupnorm";
    public static final GroupNorm DEFAULT = new GroupNorm(32, 1e-5);

    public GroupNorm {
        Normalizer.require(groups >= 1, "groups", "GroupNorm groups must be at least 1, got " + groups);
        Normalizer.requireEpsilon(epsilon, "");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("gn", "group-norm", "group_norm");
    }

    @Override
    public List<Layer> afterConvolution(CNN2DFormat format, boolean zeroScale) {
        return List.of(GroupNormalization.of(TYPE, groups, epsilon, zeroScale ? 0.0 : 1.0, format));
    }

    @Override
    public List<Layer> afterDense() {
        return List.of(GroupNormalization.of(TYPE, groups, epsilon, 1.0, CNN2DFormat.NCHW));
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
