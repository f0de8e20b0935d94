package org.bnlab.norm;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.Set;

/** No normalization: the convolution (or Dense layer) feeds the ReLU (or the residual sum) directly. */
@JsonClassDescription("no normalization")
public record NoNorm() implements Normalizer {

    public static final String TYPE = "none";
    public static final NoNorm DEFAULT = new NoNorm();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<Layer> afterConvolution(CNN2DFormat format, boolean zeroScale) {
        return List.of();
    }

    @Override
    public List<Layer> afterDense() {
        return List.of();
    }

    @Override
    public boolean owns(Layer layer) {
        return false;
    }

    @Override
    public Set<String> affineParameters() {
        return Set.of();
    }

    @Override
    public Layer withAffineDecay(Layer layer, double weightDecay) {
        return layer;
    }
}
