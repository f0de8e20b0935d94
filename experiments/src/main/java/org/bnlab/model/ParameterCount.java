package org.bnlab.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;

import java.util.Set;

/**
 * Counts parameters the way papers do: what the optimiser trains. DL4J stores BN's running mean and variance as
 * parameters too ({@code numParams()} includes them); they are statistics, not trained, so they are left out.
 */
public final class ParameterCount {

    private static final Set<String> RUNNING_STATISTICS = Set.of(
            BatchNormalizationParamInitializer.GLOBAL_MEAN,
            BatchNormalizationParamInitializer.GLOBAL_VAR,
            BatchNormalizationParamInitializer.GLOBAL_LOG_STD);

    private ParameterCount() {
    }

    public static long trainable(ComputationGraph net) {
        return net.paramTable(false).entrySet().stream()
                .filter(e -> !RUNNING_STATISTICS.contains(parameterName(e.getKey())))
                .mapToLong(e -> e.getValue().length())
                .sum();
    }

    /** DL4J keys graph parameters as {@code layer_param}; layer names may contain underscores. */
    private static String parameterName(String key) {
        return key.substring(key.lastIndexOf('_') + 1);
    }
}
