package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * The normalization after each convolution, as a value with its own parameters. Written as
 * {@code {type: batchnorm, decay: 0.9, epsilon: 1e-5}} or {@code {type: none}}; a plain {@code batchnorm} or
 * {@code none} (e.g. {@code --set model.normalization=none}) means the type with its default parameters.
 */
@JsonDeserialize(using = NormSpecDeserializer.class)
public sealed interface NormSpec permits NormSpec.BatchNorm, NormSpec.None {

    /** {@code batchnorm} or {@code none}. */
    @JsonProperty("type")
    String type();

    /** Whether the network has BatchNorm layers. */
    @JsonIgnore
    default boolean isBatchNorm() {
        return this instanceof BatchNorm;
    }

    /**
     * BatchNormalization (Ioffe and Szegedy 2015) after every convolution, as in He et al. 2016.
     *
     * @param decay   running-average decay in DL4J's convention: running = decay * running + (1 - decay) * batch
     *                statistic; 0.9 is PyTorch's momentum 0.1. In [0, 1)
     * @param epsilon added to the variance before the square root; positive
     */
    @JsonPropertyOrder({"type", "decay", "epsilon"})
    record BatchNorm(double decay, double epsilon) implements NormSpec {
        public static final String TYPE = "batchnorm";
        public static final BatchNorm DEFAULT = new BatchNorm(0.9, 1e-5);

        public BatchNorm {
            require(decay >= 0 && decay < 1, "decay", "BN decay must be in [0, 1), got " + decay);
            require(epsilon > 0 && Double.isFinite(epsilon), "epsilon", "BN epsilon must be positive, got " + epsilon);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** No normalization: the convolution feeds the ReLU (or the residual sum) directly. */
    record None() implements NormSpec {
        public static final String TYPE = "none";

        @Override
        public String type() {
            return TYPE;
        }
    }
}
