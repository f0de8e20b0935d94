package org.bnlab.measure;

import org.bnlab.kernels.Dnnl;
import org.bnlab.kernels.DnnlConvolution;
import org.bnlab.norm.Normalizers;
import org.bnlab.norm.RunningStatistics;
import org.bnlab.results.ProbeRow;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One probe snapshot of a {@link ComputationGraph}: its weight layers measured on a fixed batch (Ioffe and Szegedy
 * 2015, Figure 1: the 15th, 50th and 85th percentiles of a layer's input to its nonlinearity over training, steady
 * with BN, drifting without). One {@link ProbeRow} per weight layer (convolution, dense, output), in the order the
 * model builder added them to the graph (input to output; a configuration keeps it through fusion and JSON, unlike
 * the topological order, which fusion can change where a block has a projection shortcut):
 * <ul>
 *   <li><b>pre-activation</b> (inference mode, BN with its running statistics): where a BN layer alone reads the
 *       weight layer, the BN's output before any ReLU, gamma (x - mean) / sqrt(var + eps) + beta computed here from
 *       the BN's input and parameters (with DL4J's useLogStd convention, var = (10^log10std)^2), so that a BN with a
 *       fused ReLU ({@code org.bnlab.kernels}) reports what the plain BN outputs; else the weight layer's output
 *       before its activation (a convolution with a fused ReLU is recomputed without it; a classifier gives its
 *       logits, x W + b). Summarised over all its elements: percentiles ({@link Percentiles}), mean, std;</li>
 *   <li><b>norms</b>: L2 of the weights W; L2 of dLoss/dW from one training-mode forward and backward pass on the
 *       probe batch (BN with the batch's statistics, as in a training step), no update applied;</li>
 *   <li><b>BN gap</b>, for the BN that follows: per channel, the probe batch's mean and (biased) variance of the BN's
 *       input against the running ones, averaged over channels as |batch mean - running mean| / sqrt(running var +
 *       eps) and (batch var + eps) / (running var + eps); and the fraction of |gamma| below {@value #GAMMA_NEAR_ZERO}
 *       (a gamma that small turns its channel off).</li>
 * </ul>
 * Layer names are the plain graph's: the kernel layers keep the names of the layers they replace, so the fused and
 * the plain path give the same rows (up to float rounding).
 *
 * <p>Nothing of the training changes: listeners are detached during the snapshot (they would count the probe pass
 * as a training pass), no parameter or updater state is written, and the gradient arrays it fills are overwritten by
 * the next step. The network's layer inputs are cleared afterwards, as after a {@code fit}.
 */
public final class ProbeSnapshot {

    /** |gamma| below this counts as near zero. */
    public static final double GAMMA_NEAR_ZERO = 0.01;

    private static final double[] FRACTIONS = {0.15, 0.50, 0.85};

    private ProbeSnapshot() {
    }

    /**
     * Measures {@code net} on {@code probe} (features in the network's layout, one-hot labels).
     *
     * @param epoch     recorded in the rows
     * @param iteration recorded in the rows
     * @throws IllegalArgumentException if the graph has no weight layer, or a weight layer's pre-activation cannot
     *                                  be read (an activation fused into a layer this class does not know)
     */
    public static List<ProbeRow> take(ComputationGraph net, DataSet probe, int epoch, long iteration) {
        Collection<TrainingListener> listeners = new ArrayList<>(net.getListeners() == null ? List.of()
                : net.getListeners());
        net.setListeners(List.of());
        try {
            List<Measured> measured = inference(net, probe.getFeatures());
            Gradient gradient = gradient(net, probe);
            List<ProbeRow> rows = new ArrayList<>();
            List<ProbeRow> summarised = measured.parallelStream().map(Measured::summarise).toList();
            for (int i = 0; i < measured.size(); i++) {
                Measured m = measured.get(i);
                INDArray dW = gradient.getGradientFor(m.layer + "_" + DefaultParamInitializer.WEIGHT_KEY);
                if (dW == null) {
                    throw new IllegalStateException("no gradient for the weights of " + m.layer);
                }
                ProbeRow r = summarised.get(i);
                // DL4J's gradients are sums over the batch (its updater divides): the mean loss's is 1/N of it
                double gradientNorm = dW.norm2Number().doubleValue() / probe.getFeatures().size(0);
                rows.add(new ProbeRow(epoch, iteration, r.layer(), r.kind(), r.preActivation(), r.p15(), r.p50(),
                        r.p85(), r.mean(), r.std(), r.weightNorm(), gradientNorm, r.bn(),
                        r.bnMeanGap(), r.bnVarRatio(), r.gammaNearZero()));
            }
            return rows;
        } finally {
            net.clearLayersStates();
            net.setListeners(listeners);
        }
    }

    /** The gradient of the loss on {@code probe}, training mode, no update. */
    private static Gradient gradient(ComputationGraph net, DataSet probe) {
        net.setInputs(probe.getFeatures());
        net.setLabels(probe.getLabels());
        net.computeGradientAndScore();
        return net.gradient();
    }

    /** A weight layer's pre-activation as floats, its weight norm and, with a following BN, that BN's numbers. */
    private record Measured(String layer, String kind, String preActivation, float[] values, double weightNorm,
                            String bn, double meanGap, double varRatio, double gammaNearZero) {

        /** The row without the gradient norm (NaN), which the caller fills in. */
        ProbeRow summarise() {
            double[] p = Percentiles.of(values, values.length, FRACTIONS);
            double sum = 0;
            for (float v : values) {
                sum += v;
            }
            double mean = sum / values.length;
            double squares = 0;
            for (float v : values) {
                double d = v - mean;
                squares += d * d;
            }
            return new ProbeRow(0, 0, layer, kind, preActivation, p[0], p[1], p[2], mean,
                    Math.sqrt(squares / values.length), weightNorm, Double.NaN, bn, meanGap, varRatio, gammaNearZero);
        }
    }

    private static List<Measured> inference(ComputationGraph net, INDArray features) {
        Map<String, INDArray> acts = net.feedForward(new INDArray[]{features}, false, false);
        Map<String, GraphVertex> vertices = net.getConfiguration().getVertices();
        Map<String, List<String>> inputs = net.getConfiguration().getVertexInputs();
        String networkInput = net.getConfiguration().getNetworkInputs().get(0);
        List<Measured> measured = new ArrayList<>();
        for (String name : vertices.keySet()) {
            if (!(vertices.get(name) instanceof LayerVertex lv) || !isWeightLayer(lv.getLayerConf().getLayer())) {
                continue;
            }
            Layer conf = lv.getLayerConf().getLayer();
            String inputName = inputs.get(name).get(0);
            INDArray input = inputName.equals(networkInput) ? features : acts.get(inputName);
            INDArray output = acts.get(name);
            double weightNorm = net.getLayer(name).getParam(DefaultParamInitializer.WEIGHT_KEY).norm2Number()
                    .doubleValue();
            String kind = conf instanceof ConvolutionLayer ? "conv" : conf instanceof BaseOutputLayer ? "output"
                    : "dense";
            String bn = soleBatchNormConsumer(net, name);
            if (bn != null) {
                RunningStatistics bnConf = Normalizers.statisticsOf(((LayerVertex) vertices.get(bn)).getLayerConf()
                        .getLayer()).orElseThrow();
                // the weight layer's output is the BN's input, intact (read by the BN alone, which leaves it
                // as it is) and without activation (a layer read by a BN has none fused)
                measured.add(batchNorm(name, kind, bn, bnConf, net.getLayer(bn).paramTable(), output, weightNorm));
            } else {
                INDArray z = preActivation(net, name, conf, input);
                measured.add(new Measured(name, kind, name, floats(z), weightNorm, ProbeRow.NO_BN, Double.NaN,
                        Double.NaN, Double.NaN));
            }
        }
        if (measured.isEmpty()) {
            throw new IllegalArgumentException("the network has no weight layer (convolution, dense) to probe");
        }
        return measured;
    }

    private static boolean isWeightLayer(Layer layer) {
        return layer instanceof ConvolutionLayer || layer instanceof FeedForwardLayer
                && !Normalizers.isNormalization(layer) && layer.initializer().paramKeys(layer)
                .contains(DefaultParamInitializer.WEIGHT_KEY);
    }

    /**
     * The normalization layer with running statistics (a BN) that is the only reader of vertex {@code name}, or
     * null.
     */
    private static String soleBatchNormConsumer(ComputationGraph net, String name) {
        List<String> readers = net.getConfiguration().getVertexInputs().entrySet().stream()
                .filter(e -> e.getValue().contains(name)).map(Map.Entry::getKey).toList();
        if (readers.size() == 1 && net.getConfiguration().getVertices().get(readers.get(0)) instanceof LayerVertex lv
                && Normalizers.statisticsOf(lv.getLayerConf().getLayer()).isPresent()) {
            return readers.get(0);
        }
        return null;
    }

    /**
     * The layer's output before its activation function, recomputed from its input: DL4J's inference pass applies a
     * following ReLU activation layer in place, so the output array it returned may hold the ReLU's output.
     */
    private static INDArray preActivation(ComputationGraph net, String name, Layer conf, INDArray input) {
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(name);
        InputPreProcessor preProcessor = ((LayerVertex) net.getConfiguration().getVertices().get(name))
                .getPreProcessor();
        INDArray in = preProcessor == null ? input
                : preProcessor.preProcess(input.dup(), (int) input.size(0), noWorkspaces);
        if (layer instanceof DnnlConvolution conv) {
            return conv.preActivation(in);
        }
        IActivation activation = ((BaseLayer) conf).getActivationFn();
        if (activation instanceof ActivationIdentity) {
            return layer.activate(in, false, noWorkspaces);
        }
        if (conf instanceof FeedForwardLayer && !(conf instanceof ConvolutionLayer) && in.rank() == 2) {
            INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray z = in.castTo(w.dataType()).mmul(w);
            INDArray b = layer.getParam(DefaultParamInitializer.BIAS_KEY);
            return b == null ? z : z.addiRowVector(b);
        }
        throw new IllegalArgumentException("cannot read the pre-activation of layer " + name + " ("
                + conf.getClass().getSimpleName() + " with activation " + activation + ")");
    }

    /**
     * The BN's inference output before any ReLU, and its running-against-batch statistics, from its input {@code x}
     * ([N, C], or [N, C, H, W] / [N, H, W, C] as its format says).
     */
    private static Measured batchNorm(String layer, String kind, String bn, RunningStatistics conf,
                                      Map<String, INDArray> params, INDArray x, double weightNorm) {
        int rank = x.rank();
        if (rank != 2 && rank != 4) {
            throw new IllegalArgumentException("BN layer " + bn + " has input of rank " + rank + "; 2 or 4 expected");
        }
        boolean channelsLast = rank == 4 && conf.format() == CNN2DFormat.NHWC;
        int channels = (int) x.size(channelsLast ? 3 : 1);
        long n = x.length();
        int inner = rank == 2 ? 1 : (int) (x.size(2) * x.size(3));
        float[] values = floats(x);
        double eps = conf.epsilon();
        float[] gamma = floats(params.get(conf.gammaKey()));
        float[] beta = floats(params.get(conf.betaKey()));
        float[] mean = floats(params.get(conf.meanKey()));
        double[] var = new double[channels];
        if (conf.log10Std()) {
            float[] log10std = floats(params.get(conf.varianceKey()));
            for (int c = 0; c < channels; c++) {
                double std = Math.pow(10.0, log10std[c]);
                var[c] = std * std;
            }
        } else {
            float[] v = floats(params.get(conf.varianceKey()));
            for (int c = 0; c < channels; c++) {
                var[c] = v[c];
            }
        }
        // per-channel sums of the input, read in C order in runs of one channel: single values cycling through the
        // channels for NHWC and [N, C], runs of H x W values for NCHW
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        int run = channelsLast ? 1 : inner;
        for (int start = 0, c = 0; start < values.length; start += run, c = c + 1 == channels ? 0 : c + 1) {
            double s = 0, q = 0;
            for (int i = start; i < start + run; i++) {
                double v = values[i];
                s += v;
                q += v * v;
            }
            sum[c] += s;
            squares[c] += q;
        }
        double perChannel = (double) n / channels;
        double gap = 0, ratio = 0;
        int nearZero = 0;
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            double batchMean = sum[c] / perChannel;
            double batchVar = Math.max(0, squares[c] / perChannel - batchMean * batchMean);
            gap += Math.abs(batchMean - mean[c]) / Math.sqrt(var[c] + eps);
            ratio += (batchVar + eps) / (var[c] + eps);
            nearZero += Math.abs(gamma[c]) < GAMMA_NEAR_ZERO ? 1 : 0;
            double s = gamma[c] / Math.sqrt(var[c] + eps);
            scale[c] = (float) s;
            shift[c] = (float) (beta[c] - mean[c] * s);
        }
        for (int start = 0, c = 0; start < values.length; start += run, c = c + 1 == channels ? 0 : c + 1) {
            float a = scale[c], b = shift[c];
            for (int i = start; i < start + run; i++) {
                values[i] = values[i] * a + b;
            }
        }
        return new Measured(layer, kind, bn, values, weightNorm, bn, gap / channels, ratio / channels,
                nearZero / (double) channels);
    }

    /** The elements of {@code a} in C order, as a new float array. */
    private static float[] floats(INDArray a) {
        INDArray f = a.castTo(DataType.FLOAT);
        boolean whole = Dnnl.isDense(f) && f.offset() == 0 && f.data().length() == f.length();
        return (whole ? f : f.dup('c')).data().asFloat();
    }
}
