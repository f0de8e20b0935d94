package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.bnlab.model.Initialization;
import org.bnlab.model.Shortcut;

import java.util.Objects;

/**
 * The network: a CIFAR ResNet of He et al. 2016, section 4.2 (6n+2 layers, three stages of 16, 32 and 64 filters).
 * The number of classes and the input size follow from the data; layout and kernels from {@link ExecutionSpec}.
 *
 * @param depth         6n+2: 20, 32, 44, 56, 110 (8 is the smallest)
 * @param shortcut      A: parameter-free (the paper's CIFAR choice); B: 1x1 projection
 * @param normalization what follows each convolution: {@link NormSpec.BatchNorm} or {@link NormSpec.None}
 * @param init          {@code he} or {@code zero-residual}
 */
@JsonPropertyOrder({"depth", "shortcut", "normalization", "init"})
public record ModelSpec(int depth, Shortcut shortcut, NormSpec normalization, Initialization init) {

    public static final ModelSpec DEFAULT = new ModelSpec(20, Shortcut.A, NormSpec.BatchNorm.DEFAULT,
            Initialization.HE);

    public ModelSpec {
        require(depth >= 8 && (depth - 2) % 6 == 0, "depth",
                "depth " + depth + " is not of the form 6n+2 with n >= 1 (20, 32, 44, 56, 110 are the paper's)");
        Objects.requireNonNull(shortcut, "shortcut");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(init, "init");
    }
}
