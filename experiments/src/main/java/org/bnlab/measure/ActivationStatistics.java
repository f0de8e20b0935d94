package org.bnlab.measure;

import org.bnlab.kernels.AddReluVertex;
import org.bnlab.kernels.Dnnl;
import org.bnlab.kernels.DnnlBatchNormalization;
import org.bnlab.results.LayerActivationStats;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Per-layer statistics of the activations of one forward pass of a {@link ComputationGraph}: mean, standard
 * deviation, min, max, mean absolute value and the fraction of exact zeros of each vertex's output, read where the
 * arrays are (no copy). Nothing keeps a reference to an array after the call: inside a
 * DL4J listener they live in a workspace that the next iteration reuses.
 *
 * <p>Rows follow the graph's topological order, so a table of them reads like the network from input to output.
 * The network's input is skipped (it is the data, not an activation). In DL4J's training forward pass the output
 * layer is not in the map (DL4J computes it while scoring), so for a CIFAR ResNet the last row is the pooled
 * features; a map from {@code feedForward} includes it.
 */
public final class ActivationStatistics {

    private ActivationStatistics() {
    }

    /** Statistics of every non-input vertex of {@code net} that has an array in {@code activations}. */
    public static List<LayerActivationStats> of(ComputationGraph net, Map<String, INDArray> activations) {
        List<LayerActivationStats> rows = new ArrayList<>();
        org.deeplearning4j.nn.graph.vertex.GraphVertex[] vertices = net.getVertices();
        for (int index : net.topologicalSortOrder()) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex vertex = vertices[index];
            INDArray array = activations.get(vertex.getVertexName());
            if (vertex.isInputVertex() || array == null) {
                continue;
            }
            GraphVertex conf = net.getConfiguration().getVertices().get(vertex.getVertexName());
            rows.add(of(vertex.getVertexName(), kindOf(conf), array));
        }
        return rows;
    }

    /**
     * Statistics of all elements of {@code array}, in two sequential passes in double precision over its float
     * buffer: the first for mean, min, max, mean |x| and zeros, the second for the variance around that mean (so a
     * mean far from zero costs no precision, as a one-pass sum of squares would). A fixed order of summation keeps
     * the numbers reproducible; it is also several times faster than six separate ND4J reductions, which matters
     * because a snapshot reads every activation of the network. Non-float or non-dense arrays are copied first.
     */
    public static LayerActivationStats of(String layer, String kind, INDArray array) {
        INDArray dense = Dnnl.isDense(array) ? array
                : array.castTo(DataType.FLOAT).dup('c');
        long n = dense.length();
        FloatBuffer values = dense.data().asNioFloat();
        int start = (int) dense.offset();
        int end = start + (int) n;
        double sum = 0, sumAbs = 0;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        long zeros = 0;
        for (int i = start; i < end; i++) {
            float v = values.get(i);
            sum += v;
            sumAbs += Math.abs(v);
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v == 0f) { // exact zeros only; -0 counts
                zeros++;
            }
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = start; i < end; i++) {
            double d = values.get(i) - mean;
            squares += d * d;
        }
        return new LayerActivationStats(layer, kind, shape(array), mean, Math.sqrt(squares / n), min, max,
                sumAbs / n, zeros / (double) n);
    }

    /**
     * A short label for what a vertex computes. Fused oneDNN layers say both operations ({@code batchnorm+relu},
     * {@code add+relu}), because a fused vertex keeps one of the two plain names and outputs after the ReLU.
     */
    static String kindOf(GraphVertex conf) {
        if (conf instanceof LayerVertex layerVertex) {
            Layer layer = layerVertex.getLayerConf().getLayer();
            if (layer instanceof ConvolutionLayer conv) {
                // a convolution that took over the ReLU after it (oneDNN kernels) outputs after that ReLU
                return conv.getActivationFn() instanceof ActivationIdentity ? "conv"
                        : "conv+" + conv.getActivationFn().toString();
            }
            if (layer instanceof DnnlBatchNormalization bn && bn.isFuseRelu()) {
                return "batchnorm+relu";
            }
            if (layer instanceof BatchNormalization) {
                return "batchnorm";
            }
            if (layer instanceof ActivationLayer activation) {
                return activation.getActivationFn().toString();
            }
            if (layer instanceof GlobalPoolingLayer pooling) {
                return "global-" + pooling.getPoolingType().name().toLowerCase(Locale.ROOT) + "-pool";
            }
            return kebab(layer.getClass().getSimpleName());
        }
        if (conf instanceof AddReluVertex) {
            return "add+relu";
        }
        if (conf instanceof ElementWiseVertex elementWise) {
            return elementWise.getOp().name().toLowerCase(Locale.ROOT);
        }
        return kebab(conf.getClass().getSimpleName());
    }

    private static String shape(INDArray array) {
        return Arrays.stream(array.shape()).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    /** {@code ZeroPadShortcutVertex} -> {@code zero-pad-shortcut}, {@code OutputLayer} -> {@code output}. */
    private static String kebab(String className) {
        String name = className.replaceAll("(Vertex|Layer)$", "");
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
