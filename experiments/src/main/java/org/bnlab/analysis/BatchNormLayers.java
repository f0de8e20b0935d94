package org.bnlab.analysis;

import org.deeplearning4j.nn.api.Layer;
import org.bnlab.norm.Normalizers;
import org.bnlab.norm.RunningStatistics;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The normalization layers of a network that keep running statistics ({@link Normalizers#statisticsOf}: BN's, on
 * either kernel path), with
 * what re-estimating their statistics needs: the vertex feeding each, its channel axis, and how the running variance
 * is stored.
 *
 * <p>Storage of the running statistics, as DL4J's {@code BatchNormalization} layer keeps them: {@code mean} [1, C];
 * with {@code useLogStd} (DL4J's default) {@code log10stdev} [1, C] holding {@code log10(sqrt(var))}, read back as
 * {@code var = (10^log10stdev)^2}; otherwise {@code var} [1, C]. The variance excludes epsilon (epsilon is added when
 * normalising).
 */
public final class BatchNormLayers {

    /**
     * One BN layer.
     *
     * @param name        its vertex name
     * @param input       the vertex whose output is its input
     * @param channelAxis the axis holding the channels of a rank-4 input (1 for NCHW, 3 for NHWC); rank-2 input
     *                    has its features on axis 1
     * @param storage     how the layer stores its running statistics
     */
    public record Entry(String name, String input, int channelAxis, RunningStatistics storage) {
        /** Whether the variance is stored as log10 of the standard deviation. */
        public boolean useLogStd() {
            return storage.log10Std();
        }
    }

    private BatchNormLayers() {
    }

    /** The BN layers of {@code net}, in topological order; empty for a network without BN. */
    public static List<Entry> of(ComputationGraph net) {
        List<Entry> entries = new ArrayList<>();
        int[] order = net.topologicalSortOrder();
        for (int index : order) {
            var vertex = net.getVertices()[index];
            if (!vertex.hasLayer()) {
                continue;
            }
            Layer layer = vertex.getLayer();
            java.util.Optional<RunningStatistics> stats = Normalizers.statisticsOf(layer.conf().getLayer());
            if (stats.isPresent()) {
                List<String> inputs = net.getConfiguration().getVertexInputs().get(vertex.getVertexName());
                if (inputs == null || inputs.size() != 1) {
                    throw new IllegalStateException("BN layer " + vertex.getVertexName() + " has " + inputs
                            + " as inputs; expected one");
                }
                entries.add(new Entry(vertex.getVertexName(), inputs.get(0), stats.get().channelAxis(4), stats.get()));
            }
        }
        return entries;
    }

    /**
     * Writes population statistics into {@code net}'s BN layer {@code entry} as its running statistics.
     *
     * @param mean     per channel, [C]
     * @param variance biased variance per channel (without epsilon), [C], each >= 0
     */
    public static void setRunningStatistics(ComputationGraph net, Entry entry, double[] mean, double[] variance) {
        Layer layer = net.getLayer(entry.name());
        INDArray m = layer.getParam(entry.storage().meanKey());
        INDArray v = layer.getParam(entry.storage().varianceKey());
        if (m.length() != mean.length || v.length() != variance.length) {
            throw new IllegalArgumentException("BN layer " + entry.name() + " has " + m.length() + " channels, got "
                    + mean.length + " statistics");
        }
        for (int c = 0; c < mean.length; c++) {
            m.putScalar(c, mean[c]);
            // log10(std) = log10(var) / 2; a channel that is constant (var 0) gets the smallest positive float
            v.putScalar(c, entry.useLogStd() ? 0.5 * Math.log10(Math.max(variance[c], Float.MIN_NORMAL))
                    : variance[c]);
        }
    }

    /** The running mean [C] and variance [C] that {@code net}'s BN layer {@code entry} normalises with at inference. */
    public static double[][] runningStatistics(ComputationGraph net, Entry entry) {
        Layer layer = net.getLayer(entry.name());
        double[] mean = layer.getParam(entry.storage().meanKey()).toDoubleVector();
        double[] stored = layer.getParam(entry.storage().varianceKey()).toDoubleVector();
        double[] variance = new double[stored.length];
        for (int c = 0; c < stored.length; c++) {
            variance[c] = entry.useLogStd() ? Math.pow(10, 2 * stored[c]) : stored[c];
        }
        return new double[][]{mean, variance};
    }
}
