package org.bnlab.model;

import org.bnlab.kernels.ReluFusing;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;
import org.bnlab.norm.RunningStatistics;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inference-only copy of a trained network with every BatchNorm folded into the convolution before it (the
 * standard conv-BN fusion; Jacob et al. 2018, section 3.2): in inference BN is the per-channel affine map
 * {@code y = gamma * (x - mean) / sqrt(var + epsilon) + beta} with the running mean and variance, so with
 * {@code s = gamma / sqrt(var + epsilon)} the convolution's weights become {@code W'[o] = W[o] * s[o]} for each output
 * channel {@code o} and its bias {@code b' = beta + (b - mean) * s} ({@code b = 0} where the convolution has none).
 * The variance is read as the layer stores it: DL4J's default {@code useLogStd} keeps log10 of the standard
 * deviation, from which {@code var = (10^log10std)^2}, as both of DL4J's and the oneDNN kernel's inference compute it;
 * epsilon is the layer's own.
 *
 * <p>The folded graph is the trained graph's configuration without the BN vertices: each BN's consumers read its
 * convolution instead, which gets a bias; everything else (shortcuts, residual additions, ReLU layers, fused
 * add+ReLU vertices, pooling, classifier, names, layout, kernel path) is the same. On the oneDNN path a BN with a
 * fused ReLU hands the ReLU to its convolution, whose primitive applies it. The trained network is not modified and
 * the copy shares no arrays with it; the copy is for {@code outputSingle(false, x)} / {@code output}, not for training
 * (a BN network trained without its BN is another network). Its outputs equal the trained network's inference outputs
 * to float rounding.
 */
public final class BatchNormFolding {

    private BatchNormFolding() {
    }

    /**
     * The folded copy of {@code trained}, initialised and carrying its parameters.
     *
     * @throws IllegalArgumentException when the network has no BatchNorm layer, has a normalization layer of another
     *                                  type (only BN's inference is an affine map of fixed statistics; e.g. GroupNorm
     *                                  normalises with each image's own), or has a BN whose input is not a
     *                                  convolution read by that BN alone
     */
    public static ComputationGraph fold(ComputationGraph trained) {
        ComputationGraphConfiguration conf = trained.getConfiguration().clone();
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        // convolution vertex -> the BN folded into it
        Map<String, String> foldedInto = new LinkedHashMap<>();
        for (String name : new ArrayList<>(vertices.keySet())) {
            if (!(vertices.get(name) instanceof LayerVertex lv)) {
                continue;
            }
            Layer layer = lv.getLayerConf().getLayer();
            Normalizer owner = Normalizers.owning(layer).orElse(null);
            if (owner == null) {
                continue;
            }
            if (!(owner instanceof BatchNorm)) {
                throw new IllegalArgumentException("cannot fold layer " + name + ": it is " + owner.type()
                        + ", and only " + BatchNorm.TYPE + " normalises with fixed statistics at inference");
            }
            String conv = foldableProducer(name, conf);
            ConvolutionLayer convLayer = (ConvolutionLayer) ((LayerVertex) vertices.get(conv)).getLayerConf().getLayer();
            if (layer instanceof ReluFusing relu && relu.isFuseRelu()) {
                if (!(convLayer.getActivationFn() instanceof ActivationIdentity)) {
                    throw new IllegalArgumentException("cannot fold layer " + name + ": its convolution " + conv
                            + " already has activation " + convLayer.getActivationFn());
                }
                convLayer.setActivationFn(new ActivationReLU());
            }
            convLayer.setHasBias(true);
            vertices.remove(name);
            inputs.remove(name);
            for (List<String> l : inputs.values()) {
                l.replaceAll(s -> s.equals(name) ? conv : s);
            }
            conf.getNetworkOutputs().replaceAll(s -> s.equals(name) ? conv : s);
            foldedInto.put(conv, name);
        }
        if (foldedInto.isEmpty()) {
            throw new IllegalArgumentException("nothing to fold: the network has no " + BatchNorm.TYPE + " layer");
        }
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        ComputationGraph folded = new ComputationGraph(conf);
        folded.init();
        for (org.deeplearning4j.nn.api.Layer layer : folded.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            String bn = foldedInto.get(name);
            if (bn == null) {
                trained.getLayer(name).paramTable().forEach((key, value) -> layer.setParam(key, value.dup()));
            } else {
                foldParameters(trained.getLayer(name), trained.getLayer(bn), layer);
            }
        }
        return folded;
    }

    /** The convolution vertex that BN vertex {@code bn} reads, refusing anything else. */
    private static String foldableProducer(String bn, ComputationGraphConfiguration conf) {
        List<String> in = conf.getVertexInputs().get(bn);
        String producer = in != null && in.size() == 1 ? in.get(0) : null;
        GraphVertex vertex = producer == null ? null : conf.getVertices().get(producer);
        if (!(vertex instanceof LayerVertex lv) || !(lv.getLayerConf().getLayer() instanceof ConvolutionLayer)
                || ((LayerVertex) conf.getVertices().get(bn)).getPreProcessor() != null) {
            throw new IllegalArgumentException("cannot fold layer " + bn + ": its input " + producer
                    + " is not a convolution (only BN after a convolution folds)");
        }
        long readers = conf.getVertexInputs().values().stream().filter(l -> l.contains(producer)).count();
        if (readers != 1 || conf.getNetworkOutputs().contains(producer)) {
            throw new IllegalArgumentException("cannot fold layer " + bn + ": its convolution " + producer
                    + " is read elsewhere too");
        }
        return producer;
    }

    /**
     * W' = W * s per output channel, b' = beta + (b - mean) * s with s = gamma / sqrt(var + epsilon), computed in
     * double from the stored floats. DL4J's convolution weights are [out, in, kH, kW] in either layout.
     */
    private static void foldParameters(org.deeplearning4j.nn.api.Layer conv, org.deeplearning4j.nn.api.Layer bn,
                                       org.deeplearning4j.nn.api.Layer target) {
        RunningStatistics stats = Normalizers.statisticsOf(bn.conf().getLayer()).orElseThrow();
        double[] gamma = values(bn.getParam(stats.gammaKey()));
        double[] beta = values(bn.getParam(stats.betaKey()));
        double[] mean = values(bn.getParam(stats.meanKey()));
        double[] variance = values(bn.getParam(stats.varianceKey()));
        int channels = gamma.length;
        INDArray w = conv.getParam(ConvolutionParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE).dup();
        INDArray storedBias = conv.paramTable().get(ConvolutionParamInitializer.BIAS_KEY);
        double[] b = storedBias == null ? new double[channels] : values(storedBias);
        double[] bias = new double[channels];
        for (int o = 0; o < channels; o++) {
            double var = stats.log10Std() ? Math.pow(Math.pow(10.0, variance[o]), 2) : variance[o];
            double s = gamma[o] / Math.sqrt(var + stats.epsilon());
            w.slice(o).muli(s);
            bias[o] = beta[o] + (b[o] - mean[o]) * s;
        }
        INDArray targetBias = target.getParam(ConvolutionParamInitializer.BIAS_KEY);
        target.setParam(ConvolutionParamInitializer.WEIGHT_KEY,
                w.castTo(target.getParam(ConvolutionParamInitializer.WEIGHT_KEY).dataType()));
        target.setParam(ConvolutionParamInitializer.BIAS_KEY,
                Nd4j.createFromArray(bias).castTo(targetBias.dataType()).reshape(targetBias.shape()));
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup().data().asDouble();
    }
}
