package org.bnlab.norm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What follows each convolution or hidden Dense layer before its ReLU, as a value with its own parameters (the
 * specification's {@code model.normalization}), which builds its own DL4J layers, as timm's {@code norm_layer=}.
 * Written {@code {type: batchnorm, decay: 0.9, epsilon: 1e-5}} or {@code {type: none}}; a plain {@code batchnorm}
 * or {@code none} means the type with its default parameters. Every type is listed in {@code permits} and has a
 * {@code public static final DEFAULT} (its default parameters), which is how {@link Normalizers} finds it; see
 * {@code package-info} for adding one.
 */
public sealed interface Normalizer permits BatchNorm, NoNorm, GroupNorm, LayerNorm, InstanceNorm, BatchRenorm,
        GhostBatchNorm, NoisyBatchNorm {

    /** The type's name in files ({@code batchnorm}, {@code none}, {@code groupnorm}, ...); also its label in reports and summaries. */
    @JsonProperty("type")
    @JsonPropertyDescription("the normalizer: ${normalizer parameters}; see docs/specification.md")
    String type();

    /** Other names accepted in files for the type (e.g. {@code bn}); compared ignoring case. */
    default Set<String> aliases() {
        return Set.of();
    }

    /**
     * The layers after a convolution with {@code format} activations, in order, on DL4J's own kernel path (see
     * {@link #onOneDnn}); empty for none.
     *
     * @param zeroScale the unit ends a residual branch under zero-residual initialisation: its scale (gamma)
     *                  starts at zero. Only asked of a type with {@link #hasAffine()}
     */
    List<Layer> afterConvolution(CNN2DFormat format, boolean zeroScale);

    /**
     * The layers after a hidden Dense layer, in order, on DL4J's own kernel path; empty for none.
     *
     * @throws InvalidParameter where {@link #followsDense()} is false
     */
    List<Layer> afterDense();

    /**
     * Whether the type is defined after a Dense layer (true by default); the specification refuses a network that
     * would put it there ({@code model.architecture: mlp}) when the file is read, naming {@code model.normalization}
     * with {@link #denseRefusal()}.
     */
    default boolean followsDense() {
        return true;
    }

    /** Why the type cannot follow a Dense layer (the error's reason) where {@link #followsDense()} is false. */
    default String denseRefusal() {
        return type() + " is not defined after a Dense layer";
    }

    /**
     * Refuses, before any network is built, to follow a layer it cannot: a Dense layer where {@link #followsDense()}
     * is false, or a layer of {@code width} channels (features, after a Dense layer) that its layers do not accept
     * (groups that do not divide it). Each architecture's factory asks it of every layer a normalizer follows.
     *
     * @param dense whether the layer is a Dense layer (else a convolution)
     * @throws InvalidParameter naming the parameter, with the reason
     * @throws IllegalArgumentException when its layers refuse the width
     */
    default void checkFollows(boolean dense, int width) {
        if (dense && !followsDense()) {
            throw new InvalidParameter("type", denseRefusal());
        }
        for (Layer layer : dense ? afterDense() : afterConvolution(CNN2DFormat.NCHW, false)) {
            if (layer instanceof FeedForwardLayer ff) {
                ff.setNIn(InputType.feedForward(width), true);
            }
        }
    }

    /**
     * The oneDNN kernel layer (package {@code org.bnlab.kernels}) for one of this type's own layers, with the same
     * parameters and function; the layer itself where the type has none or {@code layer} is not its own (the
     * default: plain ND4J operations run on either kernel path).
     */
    default Layer onOneDnn(Layer layer) {
        return layer;
    }

    /** Whether {@code layer} (a DL4J layer configuration, on either kernel path) is one of this type's layers. */
    boolean owns(Layer layer);

    /** Whether its layers have trained affine parameters (a scale and a shift, BN's gamma and beta). */
    default boolean hasAffine() {
        return !affineParameters().isEmpty();
    }

    /** The parameter keys of its affine parameters in its layers ({@code gamma}, {@code beta}); empty for none. */
    Set<String> affineParameters();

    /**
     * Whether its layers keep running statistics for evaluation (BN's population mean and variance), which
     * evaluation in training mode, precise BN, AdaBN and BN-only transfer work on: whether it has
     * {@link #runningStatisticKeys()}.
     */
    default boolean hasRunningStatistics() {
        return !runningStatisticKeys().isEmpty();
    }

    /**
     * The parameter keys of its running statistics (not trained, not counted as parameters); empty for none (the
     * default: a statistics-free type, such as GroupNorm, overrides none of these three).
     */
    default Set<String> runningStatisticKeys() {
        return Set.of();
    }

    /** How {@code layer}, one of its own, stores its running statistics; empty where it keeps none (the default). */
    default Optional<RunningStatistics> statisticsOf(Layer layer) {
        return Optional.empty();
    }

    /**
     * {@code layer} (one of its own) with L2 weight decay {@code weightDecay} (>= 0; 0 = none) on its affine
     * parameters, which DL4J never decays; possibly a new layer configuration of another class.
     *
     * @throws IllegalArgumentException when the layer cannot carry the setting
     */
    Layer withAffineDecay(Layer layer, double weightDecay);

    /**
     * A parameter outside its rule, naming the parameter (e.g. {@code decay}) so that the specification's error can
     * give its full path ({@code model.normalization.decay}).
     */
    final class InvalidParameter extends IllegalArgumentException {
        private final String parameter;

        public InvalidParameter(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    /** @throws InvalidParameter naming {@code epsilon} unless it is positive and finite; {@code who} leads the message */
    static void requireEpsilon(double epsilon, String who) {
        require(epsilon > 0 && Double.isFinite(epsilon), "epsilon", who + "epsilon must be positive, got " + epsilon);
    }

    /** @throws InvalidParameter naming {@code decay} unless it is in [0, 1); {@code who} leads the message */
    static void requireDecay(double decay, String who) {
        require(decay >= 0 && decay < 1, "decay", who + "decay must be in [0, 1), got " + decay);
    }

    /** @throws InvalidParameter naming {@code parameter} when {@code condition} is false */
    static void require(boolean condition, String parameter, String message) {
        if (!condition) {
            throw new InvalidParameter(parameter, message);
        }
    }
}
