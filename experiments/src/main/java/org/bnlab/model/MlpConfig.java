package org.bnlab.model;

import org.bnlab.norm.Normalizer;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The builder's recipe of one fully connected network ({@link Mlp}; the user's side is {@code spec.ModelSpec}).
 *
 * @param height        input image height in pixels
 * @param width         input image width in pixels
 * @param channels      input channels (1 for MNIST and Fashion-MNIST); the input layer has
 *                      {@code height * width * channels} units
 * @param hidden        the widths of the hidden layers, input side first; at least one
 * @param numClasses    classifier outputs
 * @param normalization what follows every hidden Dense layer (before its ReLU): BatchNorm or none
 */
public record MlpConfig(int height, int width, int channels, List<Integer> hidden, int numClasses,
                        Normalizer normalization) {

    public MlpConfig {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("input must be at least 1x1x1, got " + height + "x" + width + "x"
                    + channels);
        }
        if (hidden == null || hidden.isEmpty() || hidden.stream().anyMatch(w -> w == null || w < 1)) {
            throw new IllegalArgumentException("an MLP needs at least one hidden layer, each at least 1 wide, got "
                    + hidden);
        }
        hidden = List.copyOf(hidden);
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
        if (normalization == null) {
            throw new IllegalArgumentException("normalization must be given");
        }
    }

    /** Units of the flattened input. */
    public int inputSize() {
        return height * width * channels;
    }

    /** Layers with weights: the hidden layers and the classifier. */
    public int weightLayers() {
        return hidden.size() + 1;
    }

    /** The layer widths from input to output, e.g. {@code mlp-784-256-10}. */
    public String modelName() {
        return modelName(inputSize(), hidden, numClasses);
    }

    /** {@code mlp-<inputs>-<hidden widths>-<classes>}, e.g. {@code mlp-784-256-10}. */
    public static String modelName(int inputSize, List<Integer> hidden, int numClasses) {
        return "mlp-" + inputSize + "-" + hidden.stream().map(String::valueOf).collect(Collectors.joining("-"))
                + "-" + numClasses;
    }
}
