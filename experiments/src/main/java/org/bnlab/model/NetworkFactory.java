package org.bnlab.model;

import org.bnlab.data.Layout;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Turns the model part of a specification into a DL4J graph configuration for one architecture; registered in
 * {@link Architecture} (one constant per factory). Every factory names its output layer
 * {@link CifarResNet#CLASSIFIER} and uses {@link NetworkDefaults} (float32, L2, He initialisation, the seed).
 */
public interface NetworkFactory {

    /**
     * The network's configuration, with the normalizer's layers and the kernel path's layers in; parameter groups
     * are applied afterwards.
     *
     * @param updater     the optimiser (learning rate and its schedule included)
     * @param weightDecay L2 penalty on weights (not on biases, nor on normalization's affine parameters)
     * @param seed        seeds the weight initialisation
     * @throws IllegalArgumentException when the settings do not make a network of this architecture
     */
    ComputationGraphConfiguration configuration(NetworkSettings model, NetworkInput input, IUpdater updater,
                                                double weightDecay, long seed);

    /** The conventional name, e.g. {@code resnet20} or {@code mlp-784-256-10}. */
    String modelName(NetworkSettings model, NetworkInput input);

    /** The layout the network's batches must have, given the requested one; the requested one by default. */
    default Layout batchLayout(Layout requested) {
        return requested;
    }
}
