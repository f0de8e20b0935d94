package org.bnlab.model;

import org.bnlab.data.Layout;
import org.bnlab.norm.Normalizer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.List;

/**
 * Turns the model part of a specification into a DL4J graph configuration for one architecture; registered in
 * {@link Architecture} (one constant per factory). Every factory names its output layer
 * {@link CifarResNet#CLASSIFIER} and uses {@link NetworkDefaults} (float32, L2, He initialisation, the seed).
 * Besides building, a factory says which settings its architecture takes ({@link #check}), how many weight layers
 * and what name a network has, and what it costs per image ({@link #relativeCost}), so that no code elsewhere
 * tests which architecture it has.
 */
public interface NetworkFactory {

    /**
     * The network's configuration, with the normalizer's layers and the kernel path's layers in; parameter groups
     * are applied afterwards.
     *
     * @param updater     the optimizer (learning rate and its schedule included)
     * @param weightDecay L2 penalty on weights (not on biases, nor on normalization's affine parameters)
     * @param seed        seeds the weight initialisation
     * @throws IllegalArgumentException when the settings do not make a network of this architecture
     */
    ComputationGraphConfiguration configuration(NetworkSettings model, NetworkInput input, IUpdater updater,
                                                double weightDecay, long seed);

    /** The conventional name, e.g. {@code resnet20} or {@code mlp-784-256-10}. */
    String modelName(NetworkSettings model, NetworkInput input);

    /**
     * Refuses a setting this architecture does not use or cannot take (rather than ignoring it, so that a grid over
     * it cannot train the same network several times). Called by the specification with the values it holds; the
     * depth is already of the form 6n+2 and the hidden widths positive.
     *
     * @param defaultDepth    the specification's default depth (what an architecture without depth must have)
     * @param defaultShortcut the specification's default shortcut (likewise)
     * @throws InvalidSetting naming the setting ({@code hidden}, {@code depth}, {@code init}) and why
     */
    void check(int depth, Shortcut shortcut, Initialization init, List<Integer> hidden, int defaultDepth,
               Shortcut defaultShortcut);

    /**
     * Refuses a normalizer that cannot follow this architecture's layers (InstanceNorm after a Dense layer, groups
     * that do not divide a width) when the specification is read rather than when the network is built, by asking
     * {@link Normalizer#checkFollows} of every layer a normalizer follows.
     *
     * @param hidden the hidden widths (already checked by {@link #check})
     * @throws IllegalArgumentException with the reason
     */
    void checkNormalization(Normalizer normalization, List<Integer> hidden);

    /** Layers with weights (convolutions and Dense layers, the classifier included). */
    int weightLayers(NetworkSettings model);

    /**
     * Training cost per image relative to this architecture's reference network ({@link #costReference}): 1 for the
     * reference itself, 2 for twice its multiply-adds.
     */
    double relativeCost(NetworkSettings model, int imageSize, int channels, int classes);

    /** The measured network that {@link #relativeCost} is relative to. */
    CostReference costReference();

    /** The layout the network's batches must have, given the requested one; the requested one by default. */
    default Layout batchLayout(Layout requested) {
        return requested;
    }

    /** The reference networks whose training speed a machine is measured (or calibrated) on. */
    enum CostReference {
        /** ResNet-20 on 32x32 images: convolutional networks. */
        CONVOLUTIONAL,
        /** The MLP 784-256-10: fully connected networks. */
        FULLY_CONNECTED
    }

    /** A setting the architecture refuses, naming it so that the specification's error gives its full path. */
    final class InvalidSetting extends IllegalArgumentException {
        private final String setting;

        public InvalidSetting(String setting, String message) {
            super(message);
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }
    }

    /** @throws InvalidSetting naming {@code setting} when {@code condition} is false */
    static void require(boolean condition, String setting, String message) {
        if (!condition) {
            throw new InvalidSetting(setting, message);
        }
    }
}
