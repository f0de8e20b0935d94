package org.bnlab.kernels;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Puts the oneDNN kernel layers into an existing graph configuration: every plain 2D {@link ConvolutionLayer} becomes
 * a {@link DnnlConvolutionLayer} and every normalization layer its kernel layer (BN: {@link DnnlBatchNormalization}), with
 * the same names, settings and per-layer parameters. Carry a trained plain network over (or back) layer by layer,
 * by name ({@code net.getLayer(name).setParams(...)}): a flat {@code setParams(plain.params())} is safe only while
 * both graphs order their layers alike, which fusion breaks for networks with projection shortcuts (option B),
 * whose topological order changes. Optionally ({@code fuse}) cheap elementwise work is fused into its neighbour: a BN or a
 * convolution followed only by a ReLU {@link ActivationLayer} becomes one layer (the activation layer's vertex then
 * disappears from the graph, its consumers read the BN or convolution vertex instead), and an
 * {@code ElementWiseVertex(Add)} of two inputs followed only by a ReLU activation layer (the end of a residual
 * block) becomes one {@link AddReluVertex} under the activation layer's name (the add vertex disappears). This changes vertex names visible in
 * {@code feedForward} maps but not the parameters.
 *
 * <pre>
 *   ComputationGraphConfiguration conf = Kernels.accelerate(plainConf, true, normalizer::onOneDnn);
 *   ComputationGraph net = new ComputationGraph(conf);
 *   net.init();
 * </pre>
 */
public final class Kernels {

    private Kernels() {
    }

    /**
     * A copy of {@code conf} with the kernel layers in (the argument is not modified), fused when {@code fuse}.
     *
     * @param normalization the kernel layer of a normalization layer (the normalizer's {@code onOneDnn}), applied to
     *                      every layer other than a plain convolution; returns the layer itself for other layers
     */
    public static ComputationGraphConfiguration accelerate(ComputationGraphConfiguration conf, boolean fuse,
                                                           UnaryOperator<Layer> normalization) {
        ComputationGraphConfiguration out = conf.clone();
        for (GraphVertex v : out.getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                if (layer.getClass() == ConvolutionLayer.class) {
                    lv.getLayerConf().setLayer(DnnlConvolutionLayer.of((ConvolutionLayer) layer));
                } else {
                    lv.getLayerConf().setLayer(normalization.apply(layer));
                }
            }
        }
        if (fuse) {
            fuse(out);
            fuseAddRelu(out);
        }
        return out;
    }

    /**
     * A plain ReLU activation layer whose single input is a kernel BN or convolution layer read by nothing else
     * disappears into that layer: a normalization kernel fuses it ({@link ReluFusing#setFuseRelu}), the convolution takes
     * it as its own activation (which its primitive applies).
     */
    private static void fuse(ComputationGraphConfiguration conf) {
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        for (String name : new ArrayList<>(vertices.keySet())) {
            if (!isPlainReluLayer(vertices.get(name))) {
                continue;
            }
            List<String> in = inputs.get(name);
            if (in == null || in.size() != 1 || !(vertices.get(in.get(0)) instanceof LayerVertex producer)) {
                continue;
            }
            String producerName = in.get(0);
            long consumers = inputs.values().stream().filter(l -> l.contains(producerName)).count();
            if (consumers != 1 || conf.getNetworkOutputs().contains(producerName)) {
                continue;
            }
            Layer layer = producer.getLayerConf().getLayer();
            if (layer instanceof ReluFusing norm && !norm.isFuseRelu()) {
                norm.setFuseRelu(true);
            } else if (layer instanceof DnnlConvolutionLayer conv
                    && conv.getActivationFn() instanceof ActivationIdentity) {
                conv.setActivationFn(new ActivationReLU());
            } else {
                continue;
            }
            vertices.remove(name);
            inputs.remove(name);
            for (List<String> l : inputs.values()) {
                l.replaceAll(s -> s.equals(name) ? producerName : s);
            }
            conf.getNetworkOutputs().replaceAll(s -> s.equals(name) ? producerName : s);
        }
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
    }

    /** ElementWiseVertex(Add) of two inputs, consumed only by a plain ReLU activation layer -> AddReluVertex. */
    private static void fuseAddRelu(ComputationGraphConfiguration conf) {
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        for (String name : new ArrayList<>(vertices.keySet())) {
            if (!isPlainReluLayer(vertices.get(name))) {
                continue;
            }
            List<String> in = inputs.get(name);
            if (in == null || in.size() != 1 || !(vertices.get(in.get(0)) instanceof ElementWiseVertex add)
                    || add.getOp() != ElementWiseVertex.Op.Add) {
                continue;
            }
            String addName = in.get(0);
            List<String> addInputs = inputs.get(addName);
            long consumers = inputs.values().stream().filter(l -> l.contains(addName)).count();
            if (addInputs == null || addInputs.size() != 2 || consumers != 1
                    || conf.getNetworkOutputs().contains(addName)) {
                continue;
            }
            vertices.put(name, new AddReluVertex());
            inputs.put(name, new ArrayList<>(addInputs));
            vertices.remove(addName);
            inputs.remove(addName);
        }
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
    }

    /** A ReLU activation layer (no max value, threshold or negative slope), no preprocessor, no dropout. */
    private static boolean isPlainReluLayer(GraphVertex vertex) {
        return vertex instanceof LayerVertex relu && relu.getPreProcessor() == null
                && relu.getLayerConf().getLayer() instanceof ActivationLayer act
                && act.getActivationFn() instanceof ActivationReLU r && r.equals(new ActivationReLU())
                && act.getIDropout() == null;
    }
}
