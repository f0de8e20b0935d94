package org.bnlab.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.bnlab.norm.Normalizers;

import java.util.Set;

/**
 * Counts parameters the way papers do: what the optimizer trains. DL4J stores BN's running mean and variance (a
 * normalizer's running statistics) as parameters too ({@code numParams()} includes them); they are statistics, not trained, so they are left out. So are
 * parameters frozen at their initialisation (the {@link Frozen} updater, see {@link ParameterGroups}).
 */
public final class ParameterCount {

    private static final Set<String> RUNNING_STATISTICS = Normalizers.runningStatisticKeys();

    private ParameterCount() {
    }

    public static long trainable(ComputationGraph net) {
        return net.paramTable(false).entrySet().stream()
                .filter(e -> !RUNNING_STATISTICS.contains(parameterName(e.getKey())))
                .filter(e -> !frozen(net, e.getKey()))
                .mapToLong(e -> e.getValue().length())
                .sum();
    }

    private static boolean frozen(ComputationGraph net, String key) {
        String layer = key.substring(0, key.lastIndexOf('_'));
        return net.getLayer(layer).conf().getLayer().getUpdaterByParam(parameterName(key))
                instanceof Frozen;
    }

    /** DL4J keys graph parameters as {@code layer_param}; layer names may contain underscores. */
    private static String parameterName(String key) {
        return key.substring(key.lastIndexOf('_') + 1);
    }
}
