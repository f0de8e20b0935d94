package org.bnlab.norm;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * The layer of {@link GhostBatchRenormalization}: Batch Renormalization (Ioffe 2017, Algorithm 1) over ghost batches
 * (Hoffer et al. 2017, section 4), in ND4J operations only, so it runs on every backend (CUDA included) and on both
 * kernel paths. Input [N, C] or [N, C, H, W] / [N, H, W, C].
 *
 * <p>Training, for each ghost batch B (consecutive examples; the whole batch when the virtual batch size is 0 or not
 * smaller than N; the last one smaller when the size does not divide N), per channel: mu_B, sigma_B^2 (biased)
 * over B's examples and positions, sigma_B = sqrt(sigma_B^2 + eps), x_hat = (x - mu_B) / sigma_B; with the running
 * statistics mu, sigma = sqrt(var + eps): r = clip(sigma_B / sigma, 1/r_max, r_max), d = clip((mu_B - mu) / sigma,
 * -d_max, d_max), constants for the gradient (stop gradient); y = gamma * (x_hat * r + d) + beta. r_max and d_max
 * are those of the layer's iteration count (DL4J's count of parameter updates, which the graph copies into every
 * layer before each step and a checkpoint keeps), so the schedule resumes where it was. With r = 1 and d = 0 the
 * operations are DL4J's BatchNormalization's (no-helper path) one for one, and multiplying by 1 and adding 0 change
 * no bit: the same numbers as DL4J's BN over each ghost batch.
 *
 * <p>Running statistics: updated as DL4J's BN updates them (running = decay * running + (1 - decay) * batch
 * statistic, the variance stored as log10 of the standard deviation, the update carried as the statistics'
 * "gradient"), once per ghost batch in order, as in Hoffer et al.'s code, where each ghost batch is a separate
 * forward pass of PyTorch's BN. Inference normalises with the running statistics, as BN.
 */
public class GhostBatchRenormalizationLayer extends BatchNormalization {

    /** One ghost batch's forward values that its backward pass needs, each [C] or of the input's shape. */
    private record Cached(int from, int to, INDArray xMu, INDArray xHat, INDArray std, INDArray r) {
    }

    private List<Cached> cached;

    public GhostBatchRenormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private GhostBatchRenormalization settings() {
        return (GhostBatchRenormalization) conf().getLayer();
    }

    /** None: the layer is computed by its own ND4J operations, never by a vendor helper. */
    @Override
    public LayerHelper getHelper() {
        return null;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        return preOutput(input, training ? TrainingMode.TRAIN : TrainingMode.TEST, workspaceMgr);
    }

    @Override
    public INDArray preOutput(INDArray x, TrainingMode training, LayerWorkspaceMgr workspaceMgr) {
        GhostBatchRenormalization conf = settings();
        if (conf.isLockGammaBeta() || (x.rank() != 2 && x.rank() != 4)) {
            throw new IllegalStateException(layerId() + ": " + conf.getNormalizer()
                    + " needs input of rank 2 or 4 and trained gamma and beta, got rank " + x.rank());
        }
        int chIdx = x.rank() == 4 && conf.getCnn2DFormat() == CNN2DFormat.NHWC ? 3 : 1;
        if (x.size(chIdx) != conf.getNOut()) {
            throw new IllegalArgumentException(layerId() + ": input.size(" + chIdx + ") is " + x.size(chIdx)
                    + ", expected " + conf.getNOut());
        }
        x = x.castTo(dataType);
        INDArray gamma = getParam(BatchNormalizationParamInitializer.GAMMA);
        INDArray beta = getParam(BatchNormalizationParamInitializer.BETA);
        if (training != TrainingMode.TRAIN) {
            cached = null;
            INDArray mean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
            INDArray std = Transforms.sqrt(runningVariance().add(conf.getEps()));
            INDArray out = normalize(x, mean, std, null, null, gamma, beta, chIdx, workspaceMgr).get(2);
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
        }
        long n = x.size(0);
        int size = conf.getVirtualBatchSize() <= 0 || conf.getVirtualBatchSize() >= n ? (int) n
                : conf.getVirtualBatchSize();
        long step = getIterationCount();
        double maxR = conf.maxRAt(step);
        double maxD = conf.maxDAt(step);
        INDArray runningMean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray sigma = Transforms.sqrt(runningVariance().add(conf.getEps()));
        List<Cached> ghosts = new ArrayList<>();
        INDArray out = null;
        for (int from = 0; from < n; from += size) {
            int to = (int) Math.min(n, from + size);
            INDArray xb = size == n ? x : rows(x, from, to).dup();
            if (!Shape.strideDescendingCAscendingF(xb)) {
                xb = xb.dup();
            }
            int[] nonChDims = nonChannelDims(xb.rank(), chIdx);
            INDArray mean = xb.rank() == 2 ? xb.mean(0) : xb.mean(nonChDims);
            INDArray var = xb.rank() == 2 ? xb.var(false, 0) : xb.var(false, nonChDims);
            INDArray std = Transforms.sqrt(var.dup().addi(conf.getEps()), false);
            // r and d, [C], stop-gradient: clipped ratios of the ghost batch's statistics to the running ones
            long channels = mean.length();
            INDArray sigmaC = sigma.reshape(channels);
            INDArray r = Transforms.min(Transforms.max(std.reshape(channels).div(sigmaC), 1.0 / maxR, false), maxR,
                    false);
            INDArray d = Transforms.min(Transforms.max(mean.reshape(channels).sub(runningMean.reshape(channels))
                    .divi(sigmaC), -maxD, false), maxD, false);
            List<INDArray> parts = normalize(xb, mean, std, r, d, gamma, beta, chIdx, workspaceMgr);
            ghosts.add(new Cached(from, to, parts.get(0).detach(), parts.get(1).detach(), std.detach(), r.detach()));
            if (size == n) {
                out = parts.get(2);
            } else {
                if (out == null) {
                    out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
                }
                rows(out, from, to).assign(parts.get(2));
            }
        }
        cached = ghosts;
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    /**
     * {x - mean, (x - mean) / std * r + d, gamma * that + beta} in DL4J BatchNormalization's operations; no
     * correction where {@code r} is null.
     */
    private static List<INDArray> normalize(INDArray x, INDArray mean, INDArray std, INDArray r, INDArray d,
                                            INDArray gamma, INDArray beta, int chIdx,
                                            LayerWorkspaceMgr workspaceMgr) {
        INDArray xMu;
        INDArray xHat;
        INDArray out;
        if (x.rank() == 2) {
            xMu = x.subRowVector(mean);
            xHat = xMu.divRowVector(std);
            if (r != null) {
                xHat.muliRowVector(r).addiRowVector(d);
            }
            out = xHat.mulRowVector(gamma).addiRowVector(beta);
        } else {
            xMu = Nd4j.getExecutioner().exec(new BroadcastSubOp(x, mean,
                    Nd4j.createUninitialized(x.dataType(), x.shape(), x.ordering()), chIdx));
            xHat = Nd4j.getExecutioner().exec(new BroadcastDivOp(xMu, std,
                    Nd4j.createUninitialized(x.dataType(), x.shape(), x.ordering()), chIdx));
            if (r != null) {
                Nd4j.getExecutioner().exec(new BroadcastMulOp(xHat, r, xHat, chIdx));
                Nd4j.getExecutioner().exec(new BroadcastAddOp(xHat, d, xHat, chIdx));
            }
            out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), x.ordering());
            out = Nd4j.getExecutioner().exec(new BroadcastMulOp(xHat, gamma, out, chIdx));
            out = Nd4j.getExecutioner().exec(new BroadcastAddOp(out, beta, out, chIdx));
        }
        return List.of(xMu, xHat, out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (cached == null) {
            throw new IllegalStateException(layerId() + ": backpropagation without a training forward pass");
        }
        GhostBatchRenormalization conf = settings();
        INDArray input = this.input.castTo(dataType);
        int chIdx = input.rank() == 4 && conf.getCnn2DFormat() == CNN2DFormat.NHWC ? 3 : 1;
        int[] nonChDims = nonChannelDims(input.rank(), chIdx);
        INDArray gamma = getParam(BatchNormalizationParamInitializer.GAMMA);
        INDArray globalMean = params.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray dGammaView = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
        INDArray dBetaView = gradientViews.get(BatchNormalizationParamInitializer.BETA);
        INDArray dGlobalMeanView = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        boolean whole = cached.size() == 1;
        INDArray nextEpsilon = whole ? null : Nd4j.createUninitialized(dataType, input.shape(), 'c');
        INDArray dGamma = null;
        INDArray dBeta = null;
        INDArray meanDelta = null;
        INDArray runningMean = globalMean.dup();
        INDArray variance0 = runningVariance();
        INDArray variance = variance0;
        double decay = conf.getDecay();
        for (Cached ghost : cached) {
            INDArray in = whole ? input : rows(input, ghost.from, ghost.to).dup();
            INDArray eps = whole ? epsilon : rows(epsilon, ghost.from, ghost.to).dup();
            INDArray xMu = ghost.xMu;
            INDArray std = ghost.std;
            INDArray gB;
            INDArray bB;
            INDArray dLdx;
            INDArray batchMean;
            INDArray batchVar;
            if (in.rank() == 2) {
                long m = in.size(0);
                bB = eps.sum(true, 0);
                gB = eps.mul(ghost.xHat).sum(true, 0);
                INDArray dxhat = eps.mulRowVector(gamma);
                dxhat.muliRowVector(ghost.r);
                INDArray dLdVar = dxhat.mul(xMu).sum(true, 0).muli(-0.5).muli(Transforms.pow(std, -3.0, true));
                INDArray dxmu1 = dxhat.sum(true, 0).divi(std).negi();
                INDArray dxmu2 = xMu.sum(true, 0).muli(-2.0 / m).muli(dLdVar);
                INDArray dLdmu = dxmu1.addi(dxmu2);
                dLdx = dxhat.diviRowVector(std).addi(xMu.dup().muliRowVector(dLdVar.muli(2.0 / m)))
                        .addiRowVector(dLdmu.muli(1.0 / m));
                batchMean = in.mean(0);
                batchVar = in.var(false, 0);
            } else {
                int hIdx = chIdx == 1 ? 2 : 1;
                int wIdx = chIdx == 1 ? 3 : 2;
                bB = eps.sum(nonChDims);
                gB = eps.mul(ghost.xHat).sum(nonChDims);
                INDArray dxhat = Nd4j.getExecutioner().exec(new BroadcastMulOp(eps, gamma,
                        Nd4j.createUninitialized(eps.dataType(), eps.shape(), eps.ordering()), chIdx));
                Nd4j.getExecutioner().exec(new BroadcastMulOp(dxhat, ghost.r, dxhat, chIdx));
                INDArray dLdVar = dxhat.mul(xMu).sum(nonChDims).muli(-0.5).muli(Transforms.pow(std, -3.0, true));
                long m = in.size(0) * in.size(hIdx) * in.size(wIdx);
                INDArray dxmu1 = dxhat.sum(nonChDims).divi(std).negi();
                INDArray dxmu2 = xMu.sum(nonChDims).muli(-2.0 / m).muli(dLdVar);
                INDArray dLdmu = dxmu1.addi(dxmu2);
                dLdx = Nd4j.getExecutioner().exec(new BroadcastDivOp(dxhat, std, dxhat, chIdx))
                        .addi(Nd4j.getExecutioner().exec(new BroadcastMulOp(xMu, dLdVar.muli(2.0 / m),
                                Nd4j.createUninitialized(xMu.dataType(), xMu.shape(), xMu.ordering()), chIdx)));
                Nd4j.getExecutioner().execAndReturn(new BroadcastAddOp(dLdx, dLdmu.muli(1.0 / m), dLdx, chIdx));
                batchMean = in.mean(nonChDims);
                batchVar = in.var(false, nonChDims);
            }
            dGamma = dGamma == null ? gB : dGamma.addi(gB);
            dBeta = dBeta == null ? bB : dBeta.addi(bB);
            if (whole) {
                nextEpsilon = dLdx;
            } else {
                rows(nextEpsilon, ghost.from, ghost.to).assign(dLdx);
            }
            // DL4J's update, (running - batch) * (1 - decay), added up over the ghost batches in order
            INDArray delta = runningMean.sub(batchMean.reshape(runningMean.shape())).muli(1 - decay);
            meanDelta = meanDelta == null ? delta : meanDelta.addi(delta);
            runningMean.subi(delta);
            variance = variance.mul(decay).addi(batchVar.mul(1 - decay).reshape(variance.shape()));
        }
        dGammaView.assign(dGamma);
        dBetaView.assign(dBeta);
        dGlobalMeanView.assign(meanDelta);
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dGlobalMeanView);
        if (conf.isUseLogStd()) {
            // log10(std_old) - log10(std_new), as DL4J writes it
            INDArray view = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            Nd4j.getExecutioner().exec(new DivOp(variance0, variance, view));
            Transforms.log(view, false);
            view.muli(ONE_ON_2LOGE_10);
            gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, view);
        } else {
            INDArray view = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
            view.assign(variance0.sub(variance));
            gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, view);
        }
        cached = null;
        return new Pair<>(gradient, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, nextEpsilon));
    }

    /** The running variance [1, C], from log10(std) where the layer stores that (DL4J's default). */
    private INDArray runningVariance() {
        if (!settings().isUseLogStd()) {
            return getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).dup();
        }
        INDArray log10s = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
        INDArray var = Transforms.pow(Nd4j.valueArrayOf(log10s.shape(), 10.0, dataType), log10s, false);
        return var.muli(var);
    }

    private static int[] nonChannelDims(int rank, int chIdx) {
        return rank == 2 ? new int[]{0} : chIdx == 1 ? new int[]{0, 2, 3} : new int[]{0, 1, 2};
    }

    /** The view of examples [from, to) of {@code a}. */
    private static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < index.length; i++) {
            index[i] = NDArrayIndex.all();
        }
        return a.get(index);
    }

    @Override
    public void clear() {
        super.clear();
        cached = null;
    }
}
