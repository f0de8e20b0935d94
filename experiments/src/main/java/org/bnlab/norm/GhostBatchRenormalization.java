package org.bnlab.norm;

import org.bnlab.kernels.DnnlBatchNormalization;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The DL4J layer configuration of Batch Renormalization ({@link BatchRenorm}, Ioffe 2017) and Ghost Batch
 * Normalization ({@link GhostBatchNorm}, Hoffer et al. 2017): in training, BN whose batch statistics are taken over
 * ghost batches of {@link #getVirtualBatchSize()} consecutive examples (0: the whole batch), each normalised
 * output corrected by Batch Renormalization's r and d, clipped to [1/r_max, r_max] and [-d_max, d_max] where the
 * limits follow {@link #maxRAt} and {@link #maxDAt} (1 and 0 throughout: no correction, plain BN per ghost batch).
 * Everything else is DL4J's {@link BatchNormalization}'s: parameters ({@code gamma}, {@code beta}, {@code mean},
 * {@code log10stdev}), their initialisation, decay and epsilon, the running-statistics update through their
 * "gradient", inference with the running statistics. Its layer is {@link GhostBatchRenormalizationLayer} (ND4J
 * operations on every backend; no vendor helper).
 *
 * <p>{@link #getNormalizer()} names the type that built it ({@code batchrenorm} or {@code ghostbatchnorm}), which
 * is how each type recognises its own layers.
 */
public class GhostBatchRenormalization extends BatchNormalization {

    private String normalizer = BatchRenorm.TYPE;
    private int virtualBatchSize;
    private double maxR = 1;
    private double maxD;
    private long warmupSteps;
    private long maxRRampSteps;
    private long maxDRampSteps;
    /** L2 weight decay on gamma and beta (DL4J's BN has none); 0 = none. */
    private double gammaBetaWeightDecay;

    /** For Jackson; use {@link #of}. */
    public GhostBatchRenormalization() {
        super();
    }

    /**
     * A layer configuration; its channel count is set from its input when the graph is built.
     *
     * @param normalizer       the type that builds it ({@link Normalizer#type()})
     * @param virtualBatchSize examples per ghost batch, >= 1; 0 = the whole batch
     * @param maxR             r_max once the ramp is over, >= 1
     * @param maxD             d_max once the ramp is over, >= 0
     * @param warmupSteps      steps (parameter updates) with r_max = 1, d_max = 0 before the ramps start, >= 0
     * @param maxRRampSteps    steps over which r_max rises linearly from 1 to {@code maxR}, >= 0
     * @param maxDRampSteps    steps over which d_max rises linearly from 0 to {@code maxD}, >= 0
     * @param decay            running-average decay, DL4J's convention
     * @param epsilon          added to the variance
     * @param gamma            gamma's initial value
     * @param format           the activations' layout (rank-4 input)
     */
    public static GhostBatchRenormalization of(String normalizer, int virtualBatchSize, double maxR, double maxD,
                                               long warmupSteps, long maxRRampSteps, long maxDRampSteps,
                                               double decay, double epsilon, double gamma, CNN2DFormat format) {
        GhostBatchRenormalization conf = new GhostBatchRenormalization();
        conf.setDecay(decay);
        conf.setEps(epsilon);
        conf.setGamma(gamma);
        conf.setCnn2DFormat(format);
        conf.normalizer = normalizer;
        conf.virtualBatchSize = virtualBatchSize;
        conf.maxR = maxR;
        conf.maxD = maxD;
        conf.warmupSteps = warmupSteps;
        conf.maxRRampSteps = maxRRampSteps;
        conf.maxDRampSteps = maxDRampSteps;
        return conf;
    }

    /**
     * r_max at training step {@code step} (0 = the first parameter update): 1 until {@code warmupSteps}, then
     * rising linearly to {@code maxR} over {@code maxRRampSteps} steps, then {@code maxR}.
     */
    public double maxRAt(long step) {
        return 1 + (maxR - 1) * ramp(step, maxRRampSteps);
    }

    /** d_max at training step {@code step}: 0 until {@code warmupSteps}, then rising linearly to {@code maxD}. */
    public double maxDAt(long step) {
        return maxD * ramp(step, maxDRampSteps);
    }

    /** The fraction of a ramp of {@code steps} steps done at {@code step}: 0 before the warm-up ends, at most 1. */
    private double ramp(long step, long steps) {
        if (step < warmupSteps) {
            return 0;
        }
        return steps == 0 ? 1 : Math.min(1.0, (double) (step - warmupSteps) / steps);
    }

    /** Whether {@code layer} is one of these configurations built by the normalizer {@code type}. */
    static boolean builtBy(org.deeplearning4j.nn.conf.layers.Layer layer, String type) {
        return layer instanceof GhostBatchRenormalization g && type.equals(g.normalizer);
    }

    /** How {@code layer} stores its running statistics (as BN's) when it is one built by {@code type}; else empty. */
    static Optional<RunningStatistics> statisticsOf(org.deeplearning4j.nn.conf.layers.Layer layer, String type) {
        return builtBy(layer, type) ? BatchNorm.DEFAULT.statisticsOf(layer) : Optional.empty();
    }

    /** {@code layer} (one of these) with L2 {@code weightDecay} on gamma and beta, set in place. */
    static GhostBatchRenormalization withAffineDecay(org.deeplearning4j.nn.conf.layers.Layer layer,
                                                     double weightDecay) {
        if (!(layer instanceof GhostBatchRenormalization g)) {
            throw new IllegalArgumentException("not a " + GhostBatchRenormalization.class.getSimpleName() + ": "
                    + layer.getClass().getName());
        }
        g.gammaBetaWeightDecay = weightDecay;
        return g;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        org.deeplearning4j.nn.conf.layers.LayerValidation.assertNOutSet(getClass().getSimpleName(), getLayerName(),
                layerIndex, getNOut());
        GhostBatchRenormalizationLayer layer = new GhostBatchRenormalizationLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return DnnlBatchNormalization.gammaBetaRegularization(paramName, gammaBetaWeightDecay);
    }

    public String getNormalizer() {
        return normalizer;
    }

    public void setNormalizer(String normalizer) {
        this.normalizer = normalizer;
    }

    /** Examples per ghost batch; 0 = the whole batch (the last ghost batch of a batch it does not divide is smaller). */
    public int getVirtualBatchSize() {
        return virtualBatchSize;
    }

    public void setVirtualBatchSize(int virtualBatchSize) {
        this.virtualBatchSize = virtualBatchSize;
    }

    public double getMaxR() {
        return maxR;
    }

    public void setMaxR(double maxR) {
        this.maxR = maxR;
    }

    public double getMaxD() {
        return maxD;
    }

    public void setMaxD(double maxD) {
        this.maxD = maxD;
    }

    public long getWarmupSteps() {
        return warmupSteps;
    }

    public void setWarmupSteps(long warmupSteps) {
        this.warmupSteps = warmupSteps;
    }

    public long getMaxRRampSteps() {
        return maxRRampSteps;
    }

    public void setMaxRRampSteps(long maxRRampSteps) {
        this.maxRRampSteps = maxRRampSteps;
    }

    public long getMaxDRampSteps() {
        return maxDRampSteps;
    }

    public void setMaxDRampSteps(long maxDRampSteps) {
        this.maxDRampSteps = maxDRampSteps;
    }

    public double getGammaBetaWeightDecay() {
        return gammaBetaWeightDecay;
    }

    public void setGammaBetaWeightDecay(double gammaBetaWeightDecay) {
        this.gammaBetaWeightDecay = gammaBetaWeightDecay;
    }

    @Override
    public GhostBatchRenormalization clone() {
        return (GhostBatchRenormalization) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GhostBatchRenormalization other && Objects.equals(other.normalizer, normalizer)
                && other.virtualBatchSize == virtualBatchSize && Double.compare(other.maxR, maxR) == 0
                && Double.compare(other.maxD, maxD) == 0 && other.warmupSteps == warmupSteps
                && other.maxRRampSteps == maxRRampSteps && other.maxDRampSteps == maxDRampSteps
                && Double.compare(other.gammaBetaWeightDecay, gammaBetaWeightDecay) == 0 && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hash(normalizer, virtualBatchSize, maxR, maxD, warmupSteps,
                maxRRampSteps, maxDRampSteps, gammaBetaWeightDecay);
    }
}
