package org.bnlab.model;

import org.bnlab.data.Layout;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.learning.config.IUpdater;

/** A fully connected network ({@link Mlp}): hidden and normalization apply. */
final class MlpFactory implements NetworkFactory {

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
