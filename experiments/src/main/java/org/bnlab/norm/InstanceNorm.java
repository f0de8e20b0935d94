package org.bnlab.norm;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.Set;

/**
 * Instance Normalization (Ulyanov et al. 2016): statistics of each sample and channel over its positions (H, W),
 * per-channel gamma and beta (as {@code nn.InstanceNorm2d(affine=True)}), no running statistics:
 * {@link GroupNormalization} with one group per channel. Not defined after a Dense layer (a channel is then one value
 * per sample): {@link #followsDense()} is false, so the specification of an mlp with it is refused.
 */
@JsonClassDescription("Ulyanov et al. 2016")
@JsonPropertyOrder({"type", "epsilon"})
public record InstanceNorm(
        @JsonPropertyDescription("added to the variance before the square root; positive")
        double epsilon) implements Normalizer {

    public static final String TYPE = "instancenorm";
    public static final InstanceNorm DEFAULT = new InstanceNorm(1e-5);

    public InstanceNorm {
        Normalizer.requireEpsilon(epsilon, "");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("in", "instance-norm", "instance_norm");
    }

    @Override
    public List<Layer> afterConvolution(CNN2DFormat format, boolean zeroScale) {
        return List.of(GroupNormalization.of(TYPE, 0, epsilon, zeroScale ? 0.0 : 1.0, format));
    }

    /** @throws Normalizer.InvalidParameter naming {@code type}: instance normalization of one value is undefined */
    @Override
    public List<Layer> afterDense() {
        throw new InvalidParameter("type", denseRefusal());
    }

    @Override
    public boolean followsDense() {
        return false;
    }

    @Override
    public String denseRefusal() {
        return "instancenorm normalizes each channel over its positions, and after a Dense layer a channel is one "
                + "value per sample: use " + Normalizers.listed(n -> n.followsDense() && n.hasAffine()
                && !n.hasRunningStatistics(), Normalizer::type) + " for an mlp";
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
