package org.bnlab.model;

import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.Normalizer;
import org.deeplearning4j.nn.conf.CNN2DFormat;

/**
 * The builder's recipe of one CIFAR-style ResNet ({@link CifarResNet}; the user's side is {@code spec.ModelSpec}), everything that defines it (He et al. 2016, section 4.2): 6n+2 weighted layers, three stages
 * of 16, 32 and 64 filters with n residual blocks each, global average pooling and a softmax classifier.
 *
 * @param depth         6n+2: 20, 32, 44, 56, 110, ... (8 is the smallest, n = 1)
 * @param numClasses    classifier outputs
 * @param imageSize     input height and width (square RGB images)
 * @param normalization what follows every convolution (BatchNorm with its decay and epsilon, or none)
 * @param init          how weights start
 * @param shortcut      option A (parameter-free) or B (1x1 projection) where a stage changes shape, or none (the
 *                      plain network)
 * @param format        activation layout, NCHW or NHWC
 * @param kernels       which code computes convolutions and BN (the function is the same)
 */
public record ResNetConfig(int depth, int numClasses, int imageSize, Normalizer normalization, Initialization init,
                           Shortcut shortcut, CNN2DFormat format, KernelPath kernels) {

    public static final int[] STAGE_WIDTHS = {16, 32, 64};

    public ResNetConfig {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("depth " + depth + " is not of the form 6n+2 with n >= 1"
                    + " (20, 32, 44, 56, 110 are the paper's)");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
        if (imageSize < 4) {
            throw new IllegalArgumentException("image size " + imageSize + " is too small for three stages");
        }
        if (normalization == null || format == null || kernels == null) {
            throw new IllegalArgumentException("normalization, layout and kernel path must be given");
        }
    }

    /**
     * ResNet-20 for CIFAR-10 with the paper's choices: BN, He initialisation, option A; on DL4J's own layers in
     * NCHW (the reference path).
     */
    public static ResNetConfig resnet20(int numClasses) {
        return new ResNetConfig(20, numClasses, 32, BatchNorm.DEFAULT, Initialization.HE, Shortcut.A,
                CNN2DFormat.NCHW, KernelPath.DL4J);
    }

    /** Residual blocks per stage. */
    public int blocksPerStage() {
        return (depth - 2) / 6;
    }

    /** The conventional name, e.g. {@code resnet20}, or {@code plain20} without shortcuts. */
    public String modelName() {
        return (shortcut == Shortcut.NONE ? "plain" : "resnet") + depth;
    }

    public ResNetConfig withNormalization(Normalizer value) {
        return new ResNetConfig(depth, numClasses, imageSize, value, init, shortcut, format, kernels);
    }

    public ResNetConfig withInit(Initialization value) {
        return new ResNetConfig(depth, numClasses, imageSize, normalization, value, shortcut, format, kernels);
    }

    public ResNetConfig withDepth(int value) {
        return new ResNetConfig(value, numClasses, imageSize, normalization, init, shortcut, format, kernels);
    }

    public ResNetConfig withShortcut(Shortcut value) {
        return new ResNetConfig(depth, numClasses, imageSize, normalization, init, value, format, kernels);
    }

    public ResNetConfig withNumClasses(int value) {
        return new ResNetConfig(depth, value, imageSize, normalization, init, shortcut, format, kernels);
    }

    public ResNetConfig withKernels(KernelPath value) {
        return new ResNetConfig(depth, numClasses, imageSize, normalization, init, shortcut, format,
                value);
    }

    public ResNetConfig withFormat(CNN2DFormat value) {
        return new ResNetConfig(depth, numClasses, imageSize, normalization, init, shortcut, value, kernels);
    }
}
