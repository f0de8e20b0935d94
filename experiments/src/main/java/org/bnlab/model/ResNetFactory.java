package org.bnlab.model;

import org.bnlab.data.Layout;
import org.bnlab.norm.Normalizer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.List;

/**
 * The CIFAR ResNet ({@link CifarResNet}), or with shortcut {@code none} the plain network of the same depth: depth,
 * shortcut, normalization and init apply.
 */
final class ResNetFactory implements NetworkFactory {

    @Override
    public ComputationGraphConfiguration configuration(NetworkSettings model, NetworkInput input, IUpdater updater,
                                                       double weightDecay, long seed) {
        return CifarResNet.configuration(config(model, input), updater, weightDecay, seed);
    }

    @Override
    public String modelName(NetworkSettings model, NetworkInput input) {
        return config(model, input).modelName();
    }

    @Override
    public void check(int depth, Shortcut shortcut, Initialization init, List<Integer> hidden, int defaultDepth,
                      Shortcut defaultShortcut) {
        NetworkFactory.require(hidden.isEmpty(), "hidden", "hidden " + hidden + " applies to architecture mlp only"
                + " (a resnet's widths are 16, 32 and 64); leave it [] or set architecture: mlp");
        // zero-residual zeroes the last BN gamma (or convolution) of every block: without a shortcut around it,
        // that cuts the signal from the input to the classifier
        NetworkFactory.require(shortcut != Shortcut.NONE || init != Initialization.ZERO_RESIDUAL, "init",
                "init zero-residual needs shortcuts (it starts every residual branch at zero, which would cut a plain"
                        + " network's signal); use init: he with shortcut: none");
    }

    /** After every convolution, of each stage's width. */
    @Override
    public void checkNormalization(Normalizer normalization, List<Integer> hidden) {
        for (int width : ResNetConfig.STAGE_WIDTHS) {
            normalization.checkFollows(false, width);
        }
    }

    @Override
    public int weightLayers(NetworkSettings model) {
        return model.depth();
    }

    /** Depth over 20 times image area over 32x32: ResNet-20 on CIFAR is 1. */
    @Override
    public double relativeCost(NetworkSettings model, int imageSize, int channels, int classes) {
        return (model.depth() / 20.0) * Math.pow(imageSize / 32.0, 2);
    }

    @Override
    public CostReference costReference() {
        return CostReference.CONVOLUTIONAL;
    }

    /** The builder's recipe of {@code model} for {@code input}. */
    static ResNetConfig config(NetworkSettings model, NetworkInput input) {
        return new ResNetConfig(model.depth(), input.classes(), input.imageSize(), model.normalization(),
                model.init(), model.shortcut(), input.layout() == Layout.NHWC ? CNN2DFormat.NHWC : CNN2DFormat.NCHW,
                input.kernels());
    }
}
