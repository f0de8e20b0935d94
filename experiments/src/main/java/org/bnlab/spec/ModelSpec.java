package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.bnlab.model.Architecture;
import org.bnlab.model.Initialization;
import org.bnlab.model.NetworkFactory;
import org.bnlab.model.NetworkSettings;
import org.bnlab.model.Shortcut;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.Normalizer;

import java.util.List;
import java.util.Objects;

/**
 * The network. The number of classes and the input size follow from the data; layout and kernels from
 * {@link ExecutionSpec}.
 *
 * <p>Which fields apply depends on the architecture:
 * <table>
 *   <caption>fields by architecture</caption>
 *   <tr><th>field</th><th>{@code resnet}</th><th>{@code mlp}</th></tr>
 *   <tr><td>{@code depth}</td><td>6n+2</td><td>not used: leave it at 20 (the depth is {@code hidden}'s length + 1)</td></tr>
 *   <tr><td>{@code shortcut}</td><td>A, B or none (plain)</td><td>not used: leave it at A</td></tr>
 *   <tr><td>{@code normalization}</td><td>after every convolution</td><td>after every hidden Dense layer</td></tr>
 *   <tr><td>{@code init}</td><td>he or zero-residual</td><td>he only</td></tr>
 *   <tr><td>{@code hidden}</td><td>must be empty</td><td>the hidden widths, at least one</td></tr>
 * </table>
 * A value given for a field the architecture does not use is refused rather than ignored, so that a grid over it
 * cannot silently train the same network several times.
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"architecture", "depth", "shortcut", "normalization", "init", "hidden", "init_from"})
public record ModelSpec(
        @JsonPropertyDescription(SettingsTable.ARCHITECTURES)
        Architecture architecture,
        @JsonPropertyDescription("resnet: 6n+2: 20, 32, 44, 56, 110 (8 is the smallest)")
        int depth,
        @JsonPropertyDescription("resnet: A: parameter-free (the paper's CIFAR choice); B: 1x1 projection; "
                + "`none`: no shortcuts, the paper's plain network (named `plain20`, ...; init `he` only)")
        Shortcut shortcut,
        @JsonPropertyDescription("what follows each convolution (resnet) or hidden Dense layer (mlp): "
                + SettingsTable.NORMALIZERS + "; a type alone takes its defaults (see each parameter below)")
        @JsonDeserialize(using = NormalizerDeserializer.class) Normalizer normalization,
        @JsonPropertyDescription("`he`, or (resnet only) `zero-residual`")
        Initialization init,
        @JsonPropertyDescription("mlp: the widths of the hidden layers, input side first, e.g. `[256]` for "
                + "784-256-10")
        List<Integer> hidden,
        @JsonPropertyDescription("null: start freshly initialised (`init`); else start from another run's trained "
                + "network: `{match: {data.dataset: imagenette}, parameters: batchnorm}`; the source is the run of "
                + "the same plan with the `match` values and this run's values on every other axis (seed included); "
                + "see docs/experiments.md")
        InitFromSpec initFrom) implements NetworkSettings {

    private static final int DEFAULT_DEPTH = 20;
    private static final Shortcut DEFAULT_SHORTCUT = Shortcut.A;
    public static final ModelSpec DEFAULT = new ModelSpec(Architecture.RESNET, DEFAULT_DEPTH, DEFAULT_SHORTCUT,
            BatchNorm.DEFAULT, Initialization.HE, List.of(), null);

    public ModelSpec {
        Objects.requireNonNull(architecture, "architecture");
        require(depth >= 8 && (depth - 2) % 6 == 0, "depth",
                "depth " + depth + " is not of the form 6n+2 with n >= 1 (20, 32, 44, 56, 110 are the paper's)");
        Objects.requireNonNull(shortcut, "shortcut");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(init, "init");
        require(hidden != null, "hidden", "hidden must be a list of layer widths ([] for a resnet)");
        require(hidden.stream().allMatch(w -> w != null && w >= 1), "hidden",
                "hidden layer widths must be whole numbers of at least 1, got " + hidden);
        hidden = List.copyOf(hidden);
        try {
            architecture.factory().check(depth, shortcut, init, hidden, DEFAULT_DEPTH, DEFAULT_SHORTCUT);
        } catch (NetworkFactory.InvalidSetting e) {
            throw new Checks.InvalidField(e.setting(), e.getMessage());
        }
        try {
            architecture.factory().checkNormalization(normalization, hidden);
        } catch (IllegalArgumentException e) {
            throw new Checks.InvalidField("normalization", e.getMessage());
        }
    }

    /** This model starting from {@code source} instead (null: freshly initialised). */
    public ModelSpec withInitFrom(InitFromSpec source) {
        return new ModelSpec(architecture, depth, shortcut, normalization, init, hidden, source);
    }

    /**
     * Layers with weights ({@link NetworkFactory#weightLayers}): {@code depth} for a ResNet, the hidden layers plus
     * the classifier for an MLP.
     */
    public int weightLayers() {
        return architecture.factory().weightLayers(this);
    }
}
