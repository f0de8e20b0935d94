package org.bnlab.model;

import org.bnlab.kernels.Kernels;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the CIFAR ResNet of He et al. 2016, section 4.2, as a DL4J {@link ComputationGraph}; it reads like the
 * paper (and like akamaster's {@code resnet.py}):
 *
 * <pre>
 *   stem:   conv3x3(16) [BN] ReLU
 *   stages: for width in 16, 32, 64: n blocks; the first block of stages 2 and 3 has stride 2
 *   block:  conv3x3(stride) [BN] ReLU conv3x3 [BN]  (+ shortcut)  ReLU
 *   head:   global average pooling, fully connected, softmax
 * </pre>
 *
 * <p>With {@link Shortcut#NONE} it builds the paper's plain network instead: the same blocks without the addition
 * (conv3x3(stride) [BN] ReLU conv3x3 [BN] ReLU), every layer under the same name as in the ResNet, so plain and
 * residual graphs differ only by the {@code _add}, {@code _shortcut} and {@code _proj} vertices.
 *
 * <p>Convolutions have no bias, with or without BN (as in the reference implementation): with BN a bias would be
 * cancelled by the mean subtraction and BN's beta takes its role; without BN we keep the same function class
 * minus BN, so the comparison changes one thing. ResNet-20 with option A and BN therefore has 269,722 trainable
 * parameters (BN's gamma and beta counted) and 268,346 without BN.
 *
 * <p>Padding is explicit (1 pixel, {@link ConvolutionMode#Truncate}) so a stride-2 convolution samples the same
 * positions as PyTorch's and as option A's subsampling; DL4J's "Same" mode would shift them by one pixel.
 */
public final class CifarResNet {

    static final String INPUT = "input";
    /** The pooled features that enter the classifier. */
    public static final String FEATURES = "pool";
    public static final String CLASSIFIER = "fc";

    private final ResNetConfig spec;
    private final ComputationGraphConfiguration.GraphBuilder graph;

    private CifarResNet(ResNetConfig spec, ComputationGraphConfiguration.GraphBuilder graph) {
        this.spec = spec;
        this.graph = graph;
    }

    /**
     * The network's configuration.
     *
     * @param updater     the optimizer (learning rate and its schedule included)
     * @param weightDecay L2 penalty on convolution and classifier weights (BN's gamma and beta are not decayed: DL4J
     *                    never regularises them)
     * @param seed        seeds the weight initialisation
     */
    public static ComputationGraphConfiguration configuration(ResNetConfig spec, IUpdater updater, double weightDecay,
                                                              long seed) {
        ComputationGraphConfiguration.GraphBuilder graph = NetworkDefaults.builder(updater, weightDecay, seed)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(spec.imageSize(), spec.imageSize(), 3, spec.format()));
        ComputationGraphConfiguration plain = new CifarResNet(spec, graph).assemble();
        // The oneDNN path swaps in layers with identical parameters and function, fusing BN and residual
        // additions with the ReLU that follows them.
        return spec.kernels() == KernelPath.ONEDNN ? Kernels.accelerate(plain, true, spec.normalization()::onOneDnn) : plain;
    }

    /** The initialised network. */
    public static ComputationGraph build(ResNetConfig spec, IUpdater updater, double weightDecay, long seed) {
        ComputationGraph net = new ComputationGraph(configuration(spec, updater, weightDecay, seed));
        net.init();
        return net;
    }

    private ComputationGraphConfiguration assemble() {
        String x = convUnit("stem", INPUT, 16, 1, true, false);
        int inChannels = 16;
        for (int stage = 0; stage < ResNetConfig.STAGE_WIDTHS.length; stage++) {
            int width = ResNetConfig.STAGE_WIDTHS[stage];
            for (int block = 0; block < spec.blocksPerStage(); block++) {
                int stride = (stage > 0 && block == 0) ? 2 : 1;
                x = residualBlock("s" + (stage + 1) + "b" + (block + 1), x, inChannels, width, stride);
                inChannels = width;
            }
        }
        graph.addLayer(FEATURES, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        WeightInit classifierInit = spec.init() == Initialization.ZERO_RESIDUAL ? WeightInit.ZERO : WeightInit.RELU;
        graph.addLayer(CLASSIFIER, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(spec.numClasses()).activation(Activation.SOFTMAX).weightInit(classifierInit).build(), FEATURES);
        graph.setOutputs(CLASSIFIER);
        return graph.build();
    }

    private String residualBlock(String name, String in, int inChannels, int width, int stride) {
        String h = convUnit(name + "_1", in, width, stride, true, false);
        h = convUnit(name + "_2", h, width, 1, false, spec.init() == Initialization.ZERO_RESIDUAL);
        if (spec.shortcut() == Shortcut.NONE) {
            graph.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), h);
            return name + "_relu";
        }
        String shortcut = shortcut(name, in, inChannels, width, stride);
        graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), h, shortcut);
        graph.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), name + "_add");
        return name + "_relu";
    }

    private String shortcut(String name, String in, int inChannels, int width, int stride) {
        if (stride == 1 && inChannels == width) {
            return in;
        }
        if (spec.shortcut() == Shortcut.A) {
            graph.addVertex(name + "_shortcut", new ZeroPadShortcutVertex(width, stride, spec.format()), in);
            return name + "_shortcut";
        }
        String projection = name + "_proj";
        graph.addLayer(projection, new ConvolutionLayer.Builder(1, 1).stride(stride, stride).padding(0, 0)
                .nOut(width).hasBias(false).activation(Activation.IDENTITY).dataFormat(spec.format()).build(), in);
        return normalization(projection, false);
    }

    /**
     * conv3x3 [BN] [ReLU]. {@code zeroInit} marks the last convolution unit of a residual branch under zero-residual
     * initialisation: its BN's gamma starts at zero, or (without BN) its convolution's weights do.
     */
    private String convUnit(String name, String in, int width, int stride, boolean relu, boolean zeroInit) {
        boolean bn = spec.normalization().hasAffine();
        ConvolutionLayer.Builder conv = new ConvolutionLayer.Builder(3, 3).stride(stride, stride).padding(1, 1)
                .nOut(width).hasBias(false).activation(Activation.IDENTITY).dataFormat(spec.format());
        if (zeroInit && !bn) {
            conv.weightInit(WeightInit.ZERO);
        }
        graph.addLayer(name + "_conv", conv.build(), in);
        String out = normalization(name + "_conv", zeroInit && bn);
        if (relu) {
            graph.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), out);
            out = name + "_relu";
        }
        return out;
    }

    /**
     * The normalizer's layers after convolution {@code conv}, named {@code <unit>_bn} (one layer) or {@code <unit>_bn},
     * {@code <unit>_bn2}, ... (the unit's name is the convolution's without {@code _conv}); the last one's name, or
     * {@code conv} when there are none.
     */
    private String normalization(String conv, boolean zeroScale) {
        String unit = conv.endsWith("_conv") ? conv.substring(0, conv.length() - "_conv".length()) : conv;
        String out = conv;
        int k = 0;
        for (Layer layer : spec.normalization().afterConvolution(spec.format(), zeroScale)) {
            String name = unit + "_bn" + (k++ == 0 ? "" : String.valueOf(k));
            graph.addLayer(name, layer, out);
            out = name;
        }
        return out;
    }
}
