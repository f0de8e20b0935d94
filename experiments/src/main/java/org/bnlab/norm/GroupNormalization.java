package org.bnlab.norm;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * DL4J layer configuration of Group Normalization (Wu and He 2018), which with one group is Layer Normalization as
 * Wu and He compare it (Ba et al. 2016, statistics over C, H, W of each sample) and with one group per channel is
 * Instance Normalization (Ulyanov et al. 2016, over H, W of each sample and channel):
 *
 * <pre>
 *   y[n, c, s] = gamma[c] * (x[n, c, s] - mean[n, g]) / sqrt(var[n, g] + epsilon) + beta[c],  g = c / (C / G)
 * </pre>
 *
 * where mean and the biased variance are over the C/G channels of group g and all positions s of sample n. The
 * scale and shift are per channel ({@code gamma}, {@code beta}: [C], as BN's), also for LayerNorm (Wu and He's
 * version, not {@code nn.LayerNorm}'s elementwise affine over C, H, W). No running statistics: training and
 * inference compute the same function. Input: rank 4 in {@link #getDataFormat()} (NCHW or NHWC) or rank 2 [N, F]
 * after a Dense layer (F features in G groups; instance normalization is not defined there).
 *
 * <p><b>Groups</b> ({@link #effectiveGroups}): {@code groups} 0 means one per channel (InstanceNorm); otherwise a
 * layer with C channels uses min(groups, C) groups, which must divide C. So the paper's default of 32 groups works
 * on ResNet-20's 16-channel stage (16 groups of one channel there) instead of failing, the number of groups keeps
 * the meaning the paper gives it (its primary setting, Table 3), and every layer of a network with power-of-two
 * widths is valid; a width that the groups do not divide is refused when the network is built.
 *
 * <p>Computed by {@link GroupNormLayer} with plain ND4J operations (forward and hand-written backward), so it runs
 * on every backend, CUDA included; {@code environment.json}'s {@code backend.layerHelpers} lists it as
 * {@code GroupNormLayer: none} (no vendor helper). Serialised by Jackson through its getters and setters, as
 * every DL4J layer configuration, so checkpoints keep it.
 */
public class GroupNormalization extends FeedForwardLayer {

    /** The parameter keys: per-channel scale and shift, named as BN's so that probes and transfers read alike. */
    public static final String GAMMA = "gamma";
    public static final String BETA = "beta";

    private String normalizer = GroupNorm.TYPE;
    private int groups = 32;
    private double epsilon = 1e-5;
    private double gammaInit = 1.0;
    private CNN2DFormat dataFormat = CNN2DFormat.NCHW;
    private double gammaBetaWeightDecay;

    /** For Jackson; use {@link #of}. */
    public GroupNormalization() {
        super();
    }

    /**
     * A configuration.
     *
     * @param normalizer the owning type's name ({@link Normalizer#type()}), which {@link Normalizer#owns} reads
     * @param groups     number of groups, >= 1, or 0 for one per channel
     * @param epsilon    added to the variance before the square root, > 0
     * @param gammaInit  the scale's initial value (0 for zero-residual initialisation, else 1)
     * @param format     the layout of rank-4 input
     */
    public static GroupNormalization of(String normalizer, int groups, double epsilon, double gammaInit,
                                        CNN2DFormat format) {
        if (groups < 0) {
            throw new IllegalArgumentException("groups must be >= 0, got " + groups);
        }
        GroupNormalization conf = new GroupNormalization();
        conf.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        conf.groups = groups;
        conf.epsilon = epsilon;
        conf.gammaInit = gammaInit;
        conf.dataFormat = Objects.requireNonNull(format, "format");
        return conf;
    }

    /** The affine parameter keys of every such layer. */
    static final Set<String> AFFINE = Set.of(GAMMA, BETA);

    /** Whether {@code layer} is one of these configurations built by the normalizer {@code type}. */
    static boolean builtBy(org.deeplearning4j.nn.conf.layers.Layer layer, String type) {
        return layer instanceof GroupNormalization g && type.equals(g.normalizer);
    }

    /** {@code layer} (one of these) with L2 {@code weightDecay} on gamma and beta, set in place. */
    static GroupNormalization withAffineDecay(org.deeplearning4j.nn.conf.layers.Layer layer, double weightDecay) {
        if (!(layer instanceof GroupNormalization g)) {
            throw new IllegalArgumentException("not a GroupNormalization layer: " + layer.getClass().getName());
        }
        g.setGammaBetaWeightDecay(weightDecay);
        return g;
    }

    /**
     * The number of groups for {@code channels} channels: {@code channels} when {@code groups} is 0, else
     * min(groups, channels).
     *
     * @throws IllegalArgumentException when that number does not divide {@code channels}
     */
    public static int effectiveGroups(int groups, long channels, String normalizer) {
        long g = groups == 0 ? channels : Math.min(groups, channels);
        if (g < 1 || channels % g != 0) {
            throw new IllegalArgumentException(normalizer + ": " + g + " groups do not divide " + channels
                    + " channels (a layer uses min(groups, channels) groups, which must divide its channels)");
        }
        return (int) g;
    }

    /** This layer's number of groups (its channel count must be set). */
    public int effectiveGroups() {
        return effectiveGroups(groups, nIn, normalizer);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNOutSet("GroupNormalization", getLayerName(), layerIndex, getNOut());
        GroupNormLayer layer = new GroupNormLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return Params.INSTANCE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null || (inputType.getType() != InputType.Type.CNN
                && inputType.getType() != InputType.Type.FF && inputType.getType() != InputType.Type.CNNFlat)) {
            throw new IllegalStateException(normalizer + " needs convolutional or feed-forward input, got "
                    + inputType + " at layer " + getLayerName());
        }
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            switch (inputType.getType()) {
                case FF -> nIn = ((InputType.InputTypeFeedForward) inputType).getSize();
                case CNN -> {
                    nIn = ((InputType.InputTypeConvolutional) inputType).getChannels();
                    dataFormat = ((InputType.InputTypeConvolutional) inputType).getFormat();
                }
                case CNNFlat -> nIn = ((InputType.InputTypeConvolutionalFlat) inputType).getDepth();
                default -> throw new IllegalStateException(normalizer + " needs convolutional or feed-forward "
                        + "input, got " + inputType + " at layer " + getLayerName());
            }
            nOut = nIn;
            effectiveGroups();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType.getType() == InputType.Type.CNNFlat) {
            InputType.InputTypeConvolutionalFlat i = (InputType.InputTypeConvolutionalFlat) inputType;
            return new FeedForwardToCnnPreProcessor(i.getHeight(), i.getWidth(), i.getDepth());
        }
        return null;
    }

    /** L2 on gamma and beta only when {@link #getGammaBetaWeightDecay()} is positive (none by default, as BN). */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (gammaBetaWeightDecay <= 0 || !(GAMMA.equals(paramName) || BETA.equals(paramName))) {
            return null;
        }
        List<Regularization> l2 = new ArrayList<>();
        l2.add(new L2Regularization(gammaBetaWeightDecay));
        return l2;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (GAMMA.equals(paramName) || BETA.equals(paramName)) {
            return iUpdater;
        }
        throw new IllegalArgumentException("unknown parameter " + paramName);
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long perExample = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, GroupNormalization.class, inputType, inputType)
                .standardMemory(2 * nOut, 2 * (long) iUpdater.stateSize(nOut))
                .workingMemory(0, 2 * perExample, 0, 4 * perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    public String getNormalizer() {
        return normalizer;
    }

    public void setNormalizer(String normalizer) {
        this.normalizer = normalizer;
    }

    /** The configured number of groups (0: one per channel); see {@link #effectiveGroups()}. */
    public int getGroups() {
        return groups;
    }

    public void setGroups(int groups) {
        this.groups = groups;
    }

    public double getEpsilon() {
        return epsilon;
    }

    public void setEpsilon(double epsilon) {
        this.epsilon = epsilon;
    }

    public double getGammaInit() {
        return gammaInit;
    }

    public void setGammaInit(double gammaInit) {
        this.gammaInit = gammaInit;
    }

    public CNN2DFormat getDataFormat() {
        return dataFormat;
    }

    public void setDataFormat(CNN2DFormat dataFormat) {
        this.dataFormat = dataFormat;
    }

    /** L2 weight decay on gamma and beta; 0 (the default) = none. */
    public double getGammaBetaWeightDecay() {
        return gammaBetaWeightDecay;
    }

    public void setGammaBetaWeightDecay(double gammaBetaWeightDecay) {
        this.gammaBetaWeightDecay = gammaBetaWeightDecay;
    }

    @Override
    public GroupNormalization clone() {
        return (GroupNormalization) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupNormalization other && super.equals(o) && other.normalizer.equals(normalizer)
                && other.groups == groups && Double.compare(other.epsilon, epsilon) == 0
                && Double.compare(other.gammaInit, gammaInit) == 0 && other.dataFormat == dataFormat
                && Double.compare(other.gammaBetaWeightDecay, gammaBetaWeightDecay) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), normalizer, groups, epsilon, gammaInit, dataFormat,
                gammaBetaWeightDecay);
    }

    /** gamma then beta, each [C] (as BN's), in the layer's parameter view; gamma starts at gammaInit, beta at 0. */
    static final class Params implements ParamInitializer {
        static final Params INSTANCE = new Params();
        private static final List<String> KEYS = List.of(GAMMA, BETA);

        @Override
        public long numParams(NeuralNetConfiguration conf) {
            return numParams(conf.getLayer());
        }

        @Override
        public long numParams(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return 2 * ((GroupNormalization) layer).getNOut();
        }

        @Override
        public List<String> paramKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return KEYS;
        }

        @Override
        public List<String> weightKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return Collections.emptyList();
        }

        @Override
        public List<String> biasKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return Collections.emptyList();
        }

        @Override
        public boolean isWeightParam(org.deeplearning4j.nn.conf.layers.Layer layer, String key) {
            return false;
        }

        @Override
        public boolean isBiasParam(org.deeplearning4j.nn.conf.layers.Layer layer, String key) {
            return false;
        }

        @Override
        public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramView, boolean initializeParams) {
            GroupNormalization layer = (GroupNormalization) conf.getLayer();
            Map<String, INDArray> views = split(layer, paramView);
            if (initializeParams) {
                views.get(GAMMA).assign(layer.getGammaInit());
                views.get(BETA).assign(0);
            }
            conf.addVariable(GAMMA);
            conf.addVariable(BETA);
            return Collections.synchronizedMap(views);
        }

        @Override
        public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
            return split((GroupNormalization) conf.getLayer(), gradientView);
        }

        private static Map<String, INDArray> split(GroupNormalization layer, INDArray flat) {
            long c = layer.getNOut();
            INDArray row = flat.reshape(flat.length());
            Map<String, INDArray> out = new LinkedHashMap<>();
            out.put(GAMMA, row.get(NDArrayIndex.interval(0, c)));
            out.put(BETA, row.get(NDArrayIndex.interval(c, 2 * c)));
            return out;
        }
    }
}
