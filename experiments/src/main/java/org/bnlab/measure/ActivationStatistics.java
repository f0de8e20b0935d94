package org.bnlab.measure;

import org.bnlab.kernels.AddReluVertex;
import org.bnlab.kernels.Dnnl;
import org.bnlab.kernels.ReluFusing;
import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;
import org.bnlab.results.LayerActivationStats;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
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
        record VertexOutput(String name, String kind, INDArray array) {
        }
        List<VertexOutput> layers = new ArrayList<>();
        org.deeplearning4j.nn.graph.vertex.GraphVertex[] vertices = net.getVertices();
        for (int index : net.topologicalSortOrder()) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex vertex = vertices[index];
            INDArray array = activations.get(vertex.getVertexName());
            if (vertex.isInputVertex() || array == null) {
                continue;
            }
            GraphVertex conf = net.getConfiguration().getVertices().get(vertex.getVertexName());
            layers.add(new VertexOutput(vertex.getVertexName(), kindOf(conf), array));
        }
        // layers in parallel (training waits for the snapshot anyway); each layer's sums stay sequential, and the
        // list keeps network order, so the rows do not depend on the thread count
        return layers.parallelStream().map(l -> of(l.name(), l.kind(), l.array())).toList();
    }

    /** Elements per block: small enough for float partial sums to stay accurate, large enough to stream well. */
    private static final int BLOCK = 4096;

    /**
     * Statistics of all elements of {@code array}, in two passes over its float buffer: the first for mean, min,
     * max, mean |x| and zeros, the second for the variance around that mean (so a mean far from zero costs no
     * precision, as a one-pass sum of squares would). Each block of {@value #BLOCK} elements is summed in float with
     * eight interleaved partial sums (so the CPU can overlap the additions), and blocks are added in double. The
     * order of summation is fixed, so the numbers are reproducible; it is also much cheaper than six separate ND4J
     * reductions, which matters because a snapshot reads every activation of the network. Non-float or non-dense
     * arrays are copied first.
     */
    public static LayerActivationStats of(String layer, String kind, INDArray array) {
        INDArray dense = Dnnl.isDense(array) ? array : array.castTo(DataType.FLOAT).dup('c');
        long n = dense.length();
        FloatBuffer values = dense.data().asNioFloat();
        int start = (int) dense.offset();
        float[] block = new float[BLOCK];
        double sum = 0, sumAbs = 0;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        long zeros = 0;
        for (long done = 0; done < n; done += BLOCK) {
            int len = (int) Math.min(BLOCK, n - done);
            values.get(start + (int) done, block, 0, len);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            float lo0 = min, lo1 = min, lo2 = min, lo3 = min, hi0 = max, hi1 = max, hi2 = max, hi3 = max;
            int z0 = 0, z1 = 0, z2 = 0, z3 = 0;
            int i = 0;
            for (; i + 4 <= len; i += 4) {
                float v0 = block[i], v1 = block[i + 1], v2 = block[i + 2], v3 = block[i + 3];
                s0 += v0;
                s1 += v1;
                s2 += v2;
                s3 += v3;
                a0 += Math.abs(v0);
                a1 += Math.abs(v1);
                a2 += Math.abs(v2);
                a3 += Math.abs(v3);
                lo0 = v0 < lo0 ? v0 : lo0;
                lo1 = v1 < lo1 ? v1 : lo1;
                lo2 = v2 < lo2 ? v2 : lo2;
                lo3 = v3 < lo3 ? v3 : lo3;
                hi0 = v0 > hi0 ? v0 : hi0;
                hi1 = v1 > hi1 ? v1 : hi1;
                hi2 = v2 > hi2 ? v2 : hi2;
                hi3 = v3 > hi3 ? v3 : hi3;
                z0 += v0 == 0f ? 1 : 0; // exact zeros only; -0 counts
                z1 += v1 == 0f ? 1 : 0;
                z2 += v2 == 0f ? 1 : 0;
                z3 += v3 == 0f ? 1 : 0;
            }
            for (; i < len; i++) {
                float v = block[i];
                s0 += v;
                a0 += Math.abs(v);
                lo0 = v < lo0 ? v : lo0;
                hi0 = v > hi0 ? v : hi0;
                z0 += v == 0f ? 1 : 0;
            }
            min = Math.min(Math.min(lo0, lo1), Math.min(lo2, lo3));
            max = Math.max(Math.max(hi0, hi1), Math.max(hi2, hi3));
            zeros += (z0 + z1) + (z2 + z3);
            sum += (s0 + s1) + (s2 + s3);
            sumAbs += (a0 + a1) + (a2 + a3);
        }
        double mean = sum / n;
        float m = (float) mean;
        double squares = 0;
        for (long done = 0; done < n; done += BLOCK) {
            int len = (int) Math.min(BLOCK, n - done);
            values.get(start + (int) done, block, 0, len);
            float q0 = 0, q1 = 0, q2 = 0, q3 = 0;
            int i = 0;
            for (; i + 4 <= len; i += 4) {
                float d0 = block[i] - m, d1 = block[i + 1] - m, d2 = block[i + 2] - m, d3 = block[i + 3] - m;
                q0 += d0 * d0;
                q1 += d1 * d1;
                q2 += d2 * d2;
                q3 += d3 * d3;
            }
            for (; i < len; i++) {
                float d = block[i] - m;
                q0 += d * d;
            }
            squares += (q0 + q1) + (q2 + q3);
        }
        // the deviations were taken from the float-rounded mean; correct the sum of squares to the exact mean
        double shift = mean - m;
        squares -= n * shift * shift;
        return new LayerActivationStats(layer, kind, shape(array), mean, Math.sqrt(Math.max(0, squares) / n), min,
                max, sumAbs / n, zeros / (double) n);
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
            java.util.Optional<Normalizer> norm = Normalizers.owning(layer);
            if (norm.isPresent()) {
                // a normalization kernel that took over the ReLU after it outputs after that ReLU
                return norm.get().type() + (layer instanceof ReluFusing fused && fused.isFuseRelu() ? "+relu" : "");
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
