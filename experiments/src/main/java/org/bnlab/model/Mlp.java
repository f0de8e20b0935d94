package org.bnlab.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds a fully connected network (multilayer perceptron) as a DL4J {@link ComputationGraph}, with optional 1-D
 * BatchNormalization (Ioffe and Szegedy 2015, section 3: normalise each unit over the mini-batch, then scale by
 * gamma and shift by beta) between each hidden layer's affine map and its ReLU:
 *
 * <pre>
 *   input:  image [B, C, H, W], flattened channel-major (C*H*W units; 784 for 28x28x1)
 *   hidden: for each width w: dense(w) [BN] ReLU       layers dense1, dense1_bn, dense1_relu, dense2, ...
 *   output: dense(classes), softmax, cross-entropy     layer fc (the ResNet classifier's name)
 * </pre>
 *
 * <p><b>Biases.</b> Every Dense layer has a bias, with or without BN, as PyTorch's {@code nn.Linear} (the seeds'
 * example is {@code Linear -> BatchNorm1d -> ReLU}); the arm without BN is then the standard MLP. With BN the hidden
 * bias is redundant: BN subtracts the batch mean of each unit, so the bias cancels, its gradient is zero (up to
 * rounding) and it stays at its initial zero; BN's beta takes its role. The ResNet instead drops the convolution bias
 * in both arms, following the reference implementation. So 784-256-10 has 784*256 + 256 + 256*10 + 10 = 203,530
 * trainable parameters without BN and 512 more (gamma and beta of 256 units) with BN: 204,042. BN's running mean
 * and variance are statistics, not trained ({@code org.bnlab.train.ParameterCount}).
 *
 * <p><b>Initialisation.</b> He et al. 2015 (N(0, 2/fan_in)) for every weight matrix, the classifier included (as in
 * {@link CifarResNet}); biases start at zero, BN's gamma at one and beta at zero.
 *
 * <p><b>Layout and kernels.</b> The input is read as NCHW and flattened in that order, so the caller hands it NCHW
 * batches; for one channel this is the same vector as NHWC. There are no convolutions, so the oneDNN kernel path
 * does not apply: the layers are always DL4J's own ({@code DenseLayer}, {@code BatchNormalization}).
 */
public final class Mlp {

    static final String INPUT = "input";
    /** The output layer; the same name as {@link CifarResNet#CLASSIFIER}. */
    public static final String CLASSIFIER = CifarResNet.CLASSIFIER;

    private Mlp() {
    }

    /**
     * The network's configuration.
     *
     * @param updater     the optimizer (learning rate and its schedule included)
     * @param weightDecay L2 penalty on the Dense and classifier weights (not on biases, BN's gamma and beta: DL4J
     *                    does not regularise them)
     * @param seed        seeds the weight initialisation
     */
    public static ComputationGraphConfiguration configuration(MlpConfig spec, IUpdater updater, double weightDecay,
                                                              long seed) {
        ComputationGraphConfiguration.GraphBuilder graph = NetworkDefaults.builder(updater, weightDecay, seed)
                .graphBuilder()
                .addInputs(INPUT)
                // DL4J inserts the flattening (CnnToFeedForwardPreProcessor) before the first Dense layer
                .setInputTypes(InputType.convolutional(spec.height(), spec.width(), spec.channels(),
                        CNN2DFormat.NCHW));
        String x = INPUT;
        for (int i = 0; i < spec.hidden().size(); i++) {
            String name = "dense" + (i + 1);
            graph.addLayer(name, new DenseLayer.Builder().nOut(spec.hidden().get(i)).hasBias(true)
                    .activation(Activation.IDENTITY).build(), x);
            x = name;
            int k = 0;
            for (Layer norm : spec.normalization().afterDense()) {
                String normName = name + "_bn" + (k++ == 0 ? "" : String.valueOf(k));
                graph.addLayer(normName, norm, x);
                x = normName;
            }
            graph.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), x);
            x = name + "_relu";
        }
        graph.addLayer(CLASSIFIER, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(spec.numClasses()).activation(Activation.SOFTMAX).build(), x);
        graph.setOutputs(CLASSIFIER);
        return graph.build();
    }

    /** The initialised network. */
    public static ComputationGraph build(MlpConfig spec, IUpdater updater, double weightDecay, long seed) {
        ComputationGraph net = new ComputationGraph(configuration(spec, updater, weightDecay, seed));
        net.init();
        return net;
    }
}
