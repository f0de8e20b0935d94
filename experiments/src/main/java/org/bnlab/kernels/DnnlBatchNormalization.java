package org.bnlab.kernels;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * A DL4J {@link BatchNormalization} configuration whose layer runs on oneDNN's batch normalization primitives
 * ({@link DnnlBatchNorm}), optionally followed by a fused ReLU ({@link #isFuseRelu()}), which a plain
 * BatchNormalization cannot express (DL4J ignores a BN layer's activation). Parameters ({@code gamma}, {@code beta},
 * {@code mean}, {@code log10stdev} or {@code var}), their initialisation, the decay / eps / useLogStd conventions and
 * the running-statistics update (through the "gradient" of the running statistics, as DL4J does it) are DL4J's.
 *
 * <p>Build one with {@link #of(BatchNormalization)} from a plain configuration (e.g. one from
 * {@code new BatchNormalization.Builder()...build()}), or convert a whole graph with {@link Kernels#accelerate}.
 */
public class DnnlBatchNormalization extends BatchNormalization implements ReluFusing {

    private boolean fuseRelu;
    /** L2 weight decay on gamma and beta (DL4J's BN has none); 0 = none. */
    private double gammaBetaWeightDecay;

    /** For Jackson; use {@link #of}. */
    public DnnlBatchNormalization() {
        super();
    }

    /** The same configuration as {@code plain}, on oneDNN. */
    public static DnnlBatchNormalization of(BatchNormalization plain) {
        return of(plain, plain instanceof DnnlBatchNormalization d && d.fuseRelu);
    }

    /** The same configuration as {@code plain}, on oneDNN, with a ReLU applied to its output when {@code fuseRelu}. */
    public static DnnlBatchNormalization of(BatchNormalization plain, boolean fuseRelu) {
        if (plain.getClass() != BatchNormalization.class && !(plain instanceof DnnlBatchNormalization)) {
            throw new IllegalArgumentException("only plain BatchNormalization can be converted, not "
                    + plain.getClass().getName());
        }
        DnnlBatchNormalization fast = new DnnlBatchNormalization();
        Fields.copy(plain.clone(), fast, BatchNormalization.class);
        fast.fuseRelu = fuseRelu;
        fast.gammaBetaWeightDecay = plain instanceof DnnlBatchNormalization d ? d.gammaBetaWeightDecay : 0;
        return fast;
    }

    /** Whether the layer's output is ReLU(BN(x)) rather than BN(x). */
    @Override
    public boolean isFuseRelu() {
        return fuseRelu;
    }

    @Override
    public void setFuseRelu(boolean fuseRelu) {
        this.fuseRelu = fuseRelu;
    }

    /** L2 weight decay on gamma and beta; 0 (the default) = none, as DL4J's own BN. */
    public double getGammaBetaWeightDecay() {
        return gammaBetaWeightDecay;
    }

    public void setGammaBetaWeightDecay(double gammaBetaWeightDecay) {
        this.gammaBetaWeightDecay = gammaBetaWeightDecay;
    }

    @Override
    public java.util.List<org.nd4j.linalg.learning.regularization.Regularization> getRegularizationByParam(
            String paramName) {
        return gammaBetaRegularization(paramName, gammaBetaWeightDecay);
    }

    /** L2 for gamma and beta when {@code weightDecay} is positive, nothing (null) otherwise, as DL4J's BN. */
    public static java.util.List<org.nd4j.linalg.learning.regularization.Regularization> gammaBetaRegularization(
            String paramName, double weightDecay) {
        boolean gammaOrBeta = org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GAMMA.equals(paramName)
                || org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.BETA.equals(paramName);
        if (!gammaOrBeta || weightDecay <= 0) {
            return null;
        }
        java.util.List<org.nd4j.linalg.learning.regularization.Regularization> l2 = new java.util.ArrayList<>();
        l2.add(new org.nd4j.linalg.learning.regularization.L2Regularization(weightDecay));
        return l2;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        org.deeplearning4j.nn.conf.layers.LayerValidation.assertNOutSet("DnnlBatchNormalization", getLayerName(),
                layerIndex, getNOut());
        return LayerWiring.wire(new DnnlBatchNorm(conf, networkDataType), this, conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public DnnlBatchNormalization clone() {
        return (DnnlBatchNormalization) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnnlBatchNormalization other && other.fuseRelu == fuseRelu
                && Double.compare(other.gammaBetaWeightDecay, gammaBetaWeightDecay) == 0 && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Boolean.hashCode(fuseRelu)) + Double.hashCode(gammaBetaWeightDecay);
    }
}
