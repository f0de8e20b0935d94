package org.bnlab.model;

import org.bnlab.data.Layout;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.learning.config.IUpdater;

/** The CIFAR ResNet ({@link CifarResNet}): depth, shortcut, normalization and init apply. */
final class ResNetFactory implements NetworkFactory {

    @Override
    public ComputationGraphConfiguration configuration(NetworkSettings model, NetworkInput input, IUpdater updater,
                                                       double weightDecay, long seed) {
        return CifarResNet.configuration(config(model, input), updater, weightDecay, seed);
    }

    @Override
    public String modelName(NetworkSettings model, NetworkInput input) {
        return "resnet" + model.depth();
    }

    /** The builder's recipe of {@code model} for {@code input}. */
    static ResNetConfig config(NetworkSettings model, NetworkInput input) {
        return new ResNetConfig(model.depth(), input.classes(), input.imageSize(), model.normalization(),
                model.init(), model.shortcut(), input.layout() == Layout.NHWC ? CNN2DFormat.NHWC : CNN2DFormat.NCHW,
                input.kernels());
    }
}
