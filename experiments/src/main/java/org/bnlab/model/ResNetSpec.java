package org.bnlab.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;

/**
 * Everything that defines one CIFAR-style ResNet (He et al. 2016, section 4.2): 6n+2 weighted layers, three stages
 * of 16, 32 and 64 filters with n residual blocks each, global average pooling and a softmax classifier.
 *
 * @param depth         6n+2: 20, 32, 44, 56, 110, ... (8 is the smallest, n = 1)
 * @param numClasses    classifier outputs
 * @param imageSize     input height and width (square RGB images)
 * @param normalization BatchNorm after every convolution, or none
 * @param init          how weights start
 * @param shortcut      option A (parameter-free) or B (1x1 projection) where a stage changes shape
 * @param bnDecay       BN running-average decay (DL4J convention: running = decay * running + (1 - decay) * batch;
 *                      0.9 is PyTorch's momentum 0.1)
 * @param bnEpsilon     BN's epsilon
 * @param format        activation layout, NCHW or NHWC
 * @param kernels       which code computes convolutions and BN (the function is the same)
 */
public record ResNetSpec(int depth, int numClasses, int imageSize, Normalization normalization, Initialization init,
                         Shortcut shortcut, double bnDecay, double bnEpsilon, CNN2DFormat format,
                         KernelPath kernels) {

    public static final int[] STAGE_WIDTHS = {16, 32, 64};

    public ResNetSpec {
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
        if (!(bnDecay >= 0 && bnDecay < 1)) {
            throw new IllegalArgumentException("BN decay must be in [0, 1), got " + bnDecay);
        }
        if (!(bnEpsilon > 0)) {
            throw new IllegalArgumentException("BN epsilon must be positive, got " + bnEpsilon);
        }
        if (format == null || kernels == null) {
            throw new IllegalArgumentException("layout and kernel path must be given");
        }
    }

    /**
     * ResNet-20 for CIFAR-10 with the paper's choices: BN, He initialisation, option A; on DL4J's own layers in
     * NCHW (the reference path).
     */
    public static ResNetSpec resnet20(int numClasses) {
        return new ResNetSpec(20, numClasses, 32, Normalization.BATCHNORM, Initialization.HE, Shortcut.A,
                0.9, 1e-5, CNN2DFormat.NCHW, KernelPath.DL4J);
    }

    /** Residual blocks per stage. */
    public int blocksPerStage() {
        return (depth - 2) / 6;
    }

    /** The conventional name, e.g. {@code resnet20}. */
    public String modelName() {
        return "resnet" + depth;
    }

    public ResNetSpec withNormalization(Normalization value) {
        return new ResNetSpec(depth, numClasses, imageSize, value, init, shortcut, bnDecay, bnEpsilon, format, kernels);
    }

    public ResNetSpec withInit(Initialization value) {
        return new ResNetSpec(depth, numClasses, imageSize, normalization, value, shortcut, bnDecay, bnEpsilon, format, kernels);
    }

    public ResNetSpec withDepth(int value) {
        return new ResNetSpec(value, numClasses, imageSize, normalization, init, shortcut, bnDecay, bnEpsilon, format, kernels);
    }

    public ResNetSpec withShortcut(Shortcut value) {
        return new ResNetSpec(depth, numClasses, imageSize, normalization, init, value, bnDecay, bnEpsilon, format, kernels);
    }

    public ResNetSpec withNumClasses(int value) {
        return new ResNetSpec(depth, value, imageSize, normalization, init, shortcut, bnDecay, bnEpsilon, format, kernels);
    }

    public ResNetSpec withKernels(KernelPath value) {
        return new ResNetSpec(depth, numClasses, imageSize, normalization, init, shortcut, bnDecay, bnEpsilon, format,
                value);
    }

    public ResNetSpec withFormat(CNN2DFormat value) {
        return new ResNetSpec(depth, numClasses, imageSize, normalization, init, shortcut, bnDecay, bnEpsilon, value, kernels);
    }
}
