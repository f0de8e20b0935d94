package org.bnlab.norm;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** No normalization: the convolution (or Dense layer) feeds the ReLU (or the residual sum) directly. */
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
    public Layer onOneDnn(Layer layer) {
        return layer;
    }

    @Override
    public boolean owns(Layer layer) {
        return false;
    }

    @Override
    public boolean hasAffine() {
        return false;
    }

    @Override
    public Set<String> affineParameters() {
        return Set.of();
    }

    @Override
    public boolean hasRunningStatistics() {
        return false;
    }

    @Override
    public Set<String> runningStatisticKeys() {
        return Set.of();
    }

    @Override
    public Optional<RunningStatistics> statisticsOf(Layer layer) {
        return Optional.empty();
    }

    @Override
    public Layer withAffineDecay(Layer layer, double weightDecay) {
        return layer;
    }
}
