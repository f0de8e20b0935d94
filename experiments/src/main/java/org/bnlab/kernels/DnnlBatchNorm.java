package org.bnlab.kernels;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DL4J's {@link BatchNormalization} layer with forward and backward on oneDNN ({@link BnPlan}) for 4D float input,
 * optionally with a fused ReLU ({@link DnnlBatchNormalization#isFuseRelu()}).
 *
 * <p>What it mirrors from the plain layer: training mode normalises with the batch mean and biased variance, eps
 * inside the square root; inference mode with the running mean and variance (stored as log10(std) when
 * {@code useLogStd}); the running statistics are not changed by the forward pass but by the updater, through the
 * "gradients" the backward pass returns for them: {@code (1 - decay) * (runningMean - batchMean)} and, for log10(std),
 * {@code log10(var / (decay * var + (1 - decay) * batchVar)) / 2} (for plain variance
 * {@code (1 - decay) * (runningVar - batchVar)}); these parameters have a no-op updater and are not divided by the
 * minibatch size, so one step gives {@code running = decay * running + (1 - decay) * batch}. Falls back to the plain
 * layer (libnd4j, its oneDNN helper or cuDNN) without oneDNN, for non-float networks, rank-2 input or locked
 * gamma/beta.
 */
public class DnnlBatchNorm extends BatchNormalization {

    private static final int MAX_PLANS = 4;

    private final Map<BnPlan.Shape, BnPlan> plans = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<BnPlan.Shape, BnPlan> eldest) {
            return size() > MAX_PLANS;
        }
    };
    /** The input whose batch statistics {@link #statsPlan} holds (identity), for the backward pass. */
    private INDArray statsInput;
    private BnPlan statsPlan;
    /** The running variance computed from log10(std) for inference, [C], outside any workspace. */
    private INDArray inferenceVariance;
    /** Fallback path with fused ReLU: the activations, whose sign masks the gradient. */
    private INDArray fallbackOutput;

    public DnnlBatchNorm(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean fuseRelu() {
        return layerConf() instanceof DnnlBatchNormalization d && d.isFuseRelu();
    }

    private BnPlan.Shape shapeFor(INDArray x) {
        if (x == null || x.rank() != 4 || dataType != DataType.FLOAT || layerConf().isLockGammaBeta()
                || !Dnnl.isAvailable()) {
            return null;
        }
        boolean nhwc = layerConf().getCnn2DFormat() == CNN2DFormat.NHWC;
        int chIdx = nhwc ? 3 : 1;
        if (x.size(chIdx) != layerConf().getNOut()) {
            throw new IllegalArgumentException("input.size(" + chIdx + ") does not match expected input size of "
                    + layerConf().getNIn() + " - got input array with shape " + Arrays.toString(x.shape()));
        }
        return new BnPlan.Shape(x.size(0), x.size(chIdx), x.size(nhwc ? 1 : 2), x.size(nhwc ? 2 : 3), nhwc,
                (float) layerConf().getEps(), fuseRelu());
    }

    private BnPlan plan(BnPlan.Shape s) {
        return plans.computeIfAbsent(s, BnPlan::new);
    }

    /** Implementation names of the plan for the current input (training, inference, backward; null until used). */
    public String[] implementations() {
        BnPlan.Shape s = shapeFor(input);
        if (s == null) {
            return null;
        }
        BnPlan p = plan(s);
        return new String[]{p.trainingImpl, p.inferenceImpl, p.backwardImpl};
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        BnPlan.Shape shape = shapeFor(input);
        if (shape == null) {
            INDArray out = super.activate(training, workspaceMgr);
            if (fuseRelu()) {
                out = Transforms.relu(out, false);
                fallbackOutput = out;
            }
            return out;
        }
        long t = Profile.start();
        BnPlan plan = plan(shape);
        INDArray x = Dnnl.dense(input.castTo(dataType));
        INDArray gamma = Dnnl.dense(getParam(BatchNormalizationParamInitializer.GAMMA));
        INDArray beta = Dnnl.dense(getParam(BatchNormalizationParamInitializer.BETA));
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
        if (training) {
            plan.forwardTraining(x, gamma, beta, y);
            statsInput = input;
            statsPlan = plan;
        } else {
            INDArray mean = Dnnl.dense(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
            INDArray var = Dnnl.dense(runningVariance());
            plan.forwardInference(x, gamma, beta, mean, var, y);
        }
        Profile.add("bn layer fwd", t);
        return y;
    }

    /** The running variance, [1, C]: the stored one, or (10^log10std)^2 as DL4J computes it. */
    private INDArray runningVariance() {
        if (!layerConf().isUseLogStd()) {
            return getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
        }
        INDArray log10s = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
        if (Dnnl.isDense(log10s)) {
            // a few values: in Java, into a buffer this layer owns (outside workspaces)
            int c = (int) log10s.length();
            if (inferenceVariance == null || inferenceVariance.length() != c) {
                inferenceVariance = Nd4j.createUninitializedDetached(DataType.FLOAT, c);
            }
            float[] v = scratch(0, c);
            Dnnl.read(log10s, v);
            for (int i = 0; i < c; i++) {
                double std = Math.pow(10.0, v[i]);
                v[i] = (float) (std * std);
            }
            Dnnl.write(v, inferenceVariance);
            return inferenceVariance;
        }
        INDArray var = Transforms.pow(Nd4j.valueArrayOf(log10s.shape(), 10.0, dataType), log10s, false);
        return var.muli(var);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        BnPlan.Shape shape = shapeFor(input);
        if (shape == null) {
            if (fuseRelu()) {
                if (fallbackOutput == null) {
                    throw new IllegalStateException("backprop without a forward pass " + layerId());
                }
                epsilon = epsilon.mul(fallbackOutput.gt(0).castTo(epsilon.dataType()));
            }
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        long t = Profile.start();
        BnPlan plan = plan(shape);
        INDArray x = Dnnl.dense(input.castTo(dataType));
        INDArray gamma = Dnnl.dense(getParam(BatchNormalizationParamInitializer.GAMMA));
        INDArray beta = Dnnl.dense(getParam(BatchNormalizationParamInitializer.BETA));
        if (statsInput != input || statsPlan != plan) {
            // no training forward pass on this input (e.g. backprop after an inference pass): compute its statistics
            INDArray scratch = Nd4j.createUninitialized(dataType, x.shape(), 'c');
            plan.forwardTraining(x, gamma, beta, scratch);
        }
        if (epsilon.dataType() != dataType) {
            epsilon = epsilon.castTo(dataType);
        }
        INDArray dGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
        INDArray dBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
        INDArray dGammaDense = Dnnl.isDense(dGamma) ? dGamma : Nd4j.createUninitialized(dataType, dGamma.shape());
        INDArray dBetaDense = Dnnl.isDense(dBeta) ? dBeta : Nd4j.createUninitialized(dataType, dBeta.shape());
        INDArray epsNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        plan.backward(x, Dnnl.dense(epsilon), gamma, beta, epsNext, dGammaDense, dBetaDense);
        if (dGammaDense != dGamma) {
            dGamma.assign(dGammaDense);
        }
        if (dBetaDense != dBeta) {
            dBeta.assign(dBetaDense);
        }

        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
        long t2 = Profile.start();
        runningStatisticsGradients(gradient, plan.batchMean, plan.batchVar);
        Profile.add("bn layer running-stats", t2);
        statsInput = null;
        Profile.add("bn layer bwd", t);
        return new Pair<>(gradient, epsNext);
    }

    /**
     * DL4J's "distributed safe" running-average update, expressed as gradients: the plain layer's formulas, computed
     * on the few [C] values in Java (a dozen small ND4J ops per layer cost more than the BN primitives).
     */
    private void runningStatisticsGradients(Gradient gradient, INDArray batchMean, INDArray batchVar) {
        double decay = layerConf().getDecay();
        boolean logStd = layerConf().isUseLogStd();
        String varKey = logStd ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                : BatchNormalizationParamInitializer.GLOBAL_VAR;
        INDArray globalMean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray globalVar = getParam(varKey);
        INDArray dGlobalMeanView = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray dGlobalVarView = gradientViews.get(varKey);
        int c = (int) batchMean.length();
        if (!(Dnnl.isDense(globalMean) && Dnnl.isDense(globalVar) && Dnnl.isDense(dGlobalMeanView)
                && Dnnl.isDense(dGlobalVarView) && globalMean.length() == c && globalVar.length() == c)) {
            runningStatisticsGradientsNd4j(gradient, batchMean, batchVar);
            return;
        }
        float[] bm = scratch(0, c), bv = scratch(1, c), gm = scratch(2, c), gv = scratch(3, c);
        Dnnl.read(batchMean, bm);
        Dnnl.read(batchVar, bv);
        Dnnl.read(globalMean, gm);
        Dnnl.read(globalVar, gv);
        float oneMinusDecay = (float) (1 - decay);
        for (int i = 0; i < c; i++) {
            gm[i] = (gm[i] - bm[i]) * oneMinusDecay;
        }
        if (logStd) {
            // vari = (10^log10std)^2; d = log(vari / (decay * vari + (1 - decay) * batchVar)) / (2 ln 10)
            for (int i = 0; i < c; i++) {
                double std = Math.pow(10.0, gv[i]);
                double vari = std * std;
                gv[i] = (float) (Math.log(vari / (decay * vari + (1 - decay) * bv[i])) * ONE_ON_2LOGE_10);
            }
        } else {
            for (int i = 0; i < c; i++) {
                gv[i] = (gv[i] - bv[i]) * oneMinusDecay;
            }
        }
        Dnnl.write(gm, dGlobalMeanView);
        Dnnl.write(gv, dGlobalVarView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dGlobalMeanView);
        gradient.setGradientFor(varKey, dGlobalVarView);
    }

    private final float[][] scratch = new float[4][];

    private float[] scratch(int i, int length) {
        if (scratch[i] == null || scratch[i].length != length) {
            scratch[i] = new float[length];
        }
        return scratch[i];
    }

    /** {@link #runningStatisticsGradients} with ND4J ops, for arrays that are not dense (copied from the plain layer). */
    private void runningStatisticsGradientsNd4j(Gradient gradient, INDArray batchMean, INDArray batchVar) {
        double decay = layerConf().getDecay();
        INDArray globalMean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray dGlobalMeanView = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        Nd4j.getExecutioner().exec(new SubOp(globalMean, batchMean.reshape(globalMean.shape()), dGlobalMeanView));
        dGlobalMeanView.muli(1 - decay);
        gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dGlobalMeanView);
        if (layerConf().isUseLogStd()) {
            INDArray globalLog10Std = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            INDArray dGlobalLog10StdView = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            INDArray vari = Nd4j.valueArrayOf(globalLog10Std.shape(), 10.0, globalMean.dataType());
            Transforms.pow(vari, globalLog10Std, false);
            vari.muli(vari);
            INDArray varip1 = vari.mul(decay).addi(batchVar.mul(1 - decay).reshape(vari.shape()));
            Nd4j.getExecutioner().exec(new DivOp(vari, varip1, dGlobalLog10StdView));
            Transforms.log(dGlobalLog10StdView, false);
            dGlobalLog10StdView.muli(ONE_ON_2LOGE_10);
            gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, dGlobalLog10StdView);
        } else {
            INDArray globalVar = getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
            INDArray dGlobalVarView = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
            Nd4j.getExecutioner().exec(new SubOp(globalVar, batchVar.reshape(globalVar.shape()), dGlobalVarView));
            dGlobalVarView.muli(1 - decay);
            gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, dGlobalVarView);
        }
    }
}
