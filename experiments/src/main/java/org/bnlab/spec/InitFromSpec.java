package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run's network starts from when it does not start freshly initialised: the trained network of another run
 * of the same experiment (its final checkpoint), all of its parameters or only its BatchNorm layers' gamma, beta,
 * running mean and running variance (the parameter transfer of Ioffe and Szegedy 2015's BN layers studied, e.g.,
 * by Frankle, Schwab and Morcos 2021, "Training BatchNorm and only BatchNorm"; and by Li et al. 2017, "Revisiting
 * batch normalization for practical domain adaptation", whose AdaBN keeps the weights and replaces the statistics).
 * The other layers keep their fresh initialisation; the optimizer state (momentum) always starts fresh.
 *
 * <p>The source run is the run of the same plan that has the values named in {@code match} and this run's values on
 * every other axis (seed included), the settings zipped with {@code model.init_from} aside (they define the arms). So with a zipped axis
 * {@code data.dataset: [imagenette, cifar10]} / {@code model.init_from: [null, {match: {data.dataset: imagenette},
 * parameters: batchnorm}]} each seed's CIFAR-10 run starts from the same seed's Imagenette run. Exactly one run must
 * match; the runner trains sources first, and a run's hash includes its source's hash.
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"match", "parameters"})
public record InitFromSpec(
        @JsonPropertyDescription("dotted path -> value that selects the source (nested mappings are read as dotted "
                + "paths)")
        Map<String, JsonNode> match,
        @JsonPropertyDescription("`batchnorm`: gamma, beta and the running mean and variance of every BN layer "
                + "(their shapes depend on depth and width only); `all`: every parameter, which needs the same "
                + "network (same classes and, for an MLP, the same input size)")
        String parameters) {

    public static final String ALL = "all";
    public static final String BATCHNORM = "batchnorm";

    public InitFromSpec {
        require(match != null && !match.isEmpty(), "match", "init_from needs the setting(s) that select the source run,"
                + " e.g. match: {data.dataset: imagenette}");
        Map<String, JsonNode> flat = new TreeMap<>();
        flatten("", match, flat);
        match = java.util.Collections.unmodifiableMap(flat);
        require(ALL.equals(parameters) || BATCHNORM.equals(parameters), "parameters",
                "init_from.parameters must be all or batchnorm, got " + parameters);
    }

    /** Whether only the BN layers' parameters are copied. */
    public boolean batchNormOnly() {
        return BATCHNORM.equals(parameters);
    }

    private static void flatten(String prefix, Map<String, JsonNode> map, Map<String, JsonNode> out) {
        for (Map.Entry<String, JsonNode> e : map.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            if (value != null && value.isObject() && !value.has("type")) {
                Map<String, JsonNode> nested = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    nested.put(f.getKey(), f.getValue());
                }
                flatten(path, nested, out);
            } else {
                out.put(path, value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value);
            }
        }
    }
}
