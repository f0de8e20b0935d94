package org.bnlab.model;

import org.bnlab.data.Layout;
import org.bnlab.norm.Normalizer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.List;

/** A fully connected network ({@link Mlp}): hidden and normalization apply. */
final class MlpFactory implements NetworkFactory {

    /** Weights of the reference MLP 784-256-10, whose relative cost is 1. */
    private static final double REFERENCE_WEIGHTS = 784 * 256 + 256 * 10;

    @Override
    public ComputationGraphConfiguration configuration(NetworkSettings model, NetworkInput input, IUpdater updater,
                                                       double weightDecay, long seed) {
        return Mlp.configuration(config(model, input), updater, weightDecay, seed);
    }

    @Override
    public String modelName(NetworkSettings model, NetworkInput input) {
        return MlpConfig.modelName(input.imageSize() * input.imageSize() * input.channels(), model.hidden(),
                input.classes());
    }

    @Override
    public void check(int depth, Shortcut shortcut, Initialization init, List<Integer> hidden, int defaultDepth,
                      Shortcut defaultShortcut) {
        NetworkFactory.require(!hidden.isEmpty(), "hidden", "an mlp needs at least one hidden layer, e.g. hidden: [256]");
        NetworkFactory.require(depth == defaultDepth && shortcut == defaultShortcut, "depth", "depth and shortcut apply to"
                + " architecture resnet only (an mlp's depth follows from hidden); leave them at " + defaultDepth
                + " and " + defaultShortcut + ", got " + depth + " and " + shortcut);
        NetworkFactory.require(init == Initialization.HE, "init", "init " + init + " applies to architecture resnet only"
                + " (an mlp has no residual branches); use he");
    }

    /** After every hidden Dense layer, of its width. */
    @Override
    public void checkNormalization(Normalizer normalization, List<Integer> hidden) {
        for (int width : hidden) {
            normalization.checkFollows(true, width);
        }
    }

    @Override
    public int weightLayers(NetworkSettings model) {
        return model.hidden().size() + 1;
    }

    /** Weights (multiply-adds per image) over those of the MLP 784-256-10. */
    @Override
    public double relativeCost(NetworkSettings model, int imageSize, int channels, int classes) {
        double weights = 0;
        int in = imageSize * imageSize * channels;
        for (int width : model.hidden()) {
            weights += (double) in * width;
            in = width;
        }
        weights += (double) in * classes;
        return weights / REFERENCE_WEIGHTS;
    }

    @Override
    public CostReference costReference() {
        return CostReference.FULLY_CONNECTED;
    }

    /**
     * Always NCHW: an MLP flattens its input channel-major, so that its function does not depend on
     * {@code execution.layout}.
     */
    @Override
    public Layout batchLayout(Layout requested) {
        return Layout.NCHW;
    }

    static MlpConfig config(NetworkSettings model, NetworkInput input) {
        return new MlpConfig(input.imageSize(), input.imageSize(), input.channels(), model.hidden(), input.classes(),
                model.normalization());
    }
}
