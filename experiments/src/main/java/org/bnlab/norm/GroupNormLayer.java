package org.bnlab.norm;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The layer of {@link GroupNormalization}: forward and backward in plain ND4J operations (reductions and broadcasts),
 * so the same code runs on the CPU and the CUDA backend. Training and inference compute the same function.
 *
 * <p>The input is viewed, without copying, as a 3-d array of N samples, C channels and S positions: [N, C, S] for
 * NCHW and for Dense input (S = 1), [N, S, C] for NHWC. Per-(sample, channel) sums over S are added up per group of
 * C/G channels; the group statistics are spread back over their channels and broadcast over S. The training forward
 * pass keeps its per-(sample, channel) mean and 1 / sqrt(var + epsilon) ([N, C], detached from the workspaces) for
 * the backward pass on the same input, which otherwise computes them again:
 *
 * <pre>
 *   xhat = (x - mean) * invStd;  g = dy * gamma
 *   dx   = invStd * (g - mean_group(g) - xhat * mean_group(g * xhat))
 *   dgamma[c] = sum_{n,s} dy * xhat;  dbeta[c] = sum_{n,s} dy
 * </pre>
 */
public class GroupNormLayer extends BaseLayer<GroupNormalization> {

    /** The input of the last training forward pass and its statistics ([N, C], outside any workspace). */
    private transient INDArray cachedInput;
    private transient Statistics cached;

    public GroupNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no weight noise on gamma and beta
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray x = contiguous(input.castTo(dataType));
        Geometry geo = geometry(x);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
        INDArray y3 = geo.view(y);
        Statistics stats = statistics(geo, geo.view(x), y3);
        // y3 holds x - mean; scale per (sample, channel) by invStd * gamma, then shift by beta. Both are [N, C]
        // broadcasts: broadcasting a [C] vector over a [N, S, C] array is several times slower in libnd4j
        exec(new BroadcastMulOp(y3, stats.invStd.mulRowVector(gamma(geo)), y3, 0, geo.cAxis));
        INDArray beta = getParam(GroupNormalization.BETA).castTo(dataType).reshape(1, geo.c);
        exec(new BroadcastAddOp(y3, beta.repeat(0, geo.n), y3, 0, geo.cAxis));
        if (training) {
            cachedInput = input;
            cached = new Statistics(stats.mean.detach(), stats.invStd.detach());
        }
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = contiguous(input.castTo(dataType));
        Geometry geo = geometry(x);
        INDArray x3 = geo.view(x);
        INDArray dy3 = geo.view(contiguous(epsilon.castTo(dataType)));
        INDArray xhat = Nd4j.createUninitialized(dataType, geo.shape3);
        // the statistics of the training forward pass on this same input, else computed again (the same numbers)
        Statistics stats = cachedInput == input && cached != null ? cached : statistics(geo, x3, xhat);
        if (stats == cached) {
            exec(new BroadcastSubOp(x3, stats.mean, xhat, 0, geo.cAxis));
        }
        cachedInput = null;
        cached = null;
        exec(new BroadcastMulOp(xhat, stats.invStd, xhat, 0, geo.cAxis));
        INDArray gammaRow = gamma(geo);

        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        INDArray dx3 = geo.view(dx);
        INDArray dySum = dy3.sum(geo.sAxis);                        // [N, C]
        INDArray dyXhatSum = dy3.mul(xhat, dx3).sum(geo.sAxis);     // [N, C]; dx3 is scratch until below
        INDArray dGamma = dyXhatSum.sum(0);
        INDArray dBeta = dySum.sum(0);
        // group means of g = dy * gamma and of g * xhat, times invStd, spread over the group's channels
        INDArray meanG = geo.spread(geo.groupSum(dySum.mulRowVector(gammaRow)).divi(geo.m)).muli(stats.invStd);
        INDArray meanGXhat = geo.spread(geo.groupSum(dyXhatSum.mulRowVector(gammaRow)).divi(geo.m))
                .muli(stats.invStd);

        exec(new BroadcastMulOp(dy3, stats.invStd.mulRowVector(gammaRow), dx3, 0, geo.cAxis));
        exec(new BroadcastMulOp(xhat, meanGXhat, xhat, 0, geo.cAxis));
        dx3.subi(xhat);
        exec(new BroadcastSubOp(dx3, meanG, dx3, 0, geo.cAxis));

        INDArray gammaView = gradientViews.get(GroupNormalization.GAMMA);
        INDArray betaView = gradientViews.get(GroupNormalization.BETA);
        gammaView.assign(dGamma.reshape(gammaView.shape()));
        betaView.assign(dBeta.reshape(betaView.shape()));
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(GroupNormalization.GAMMA, gammaView);
        gradient.setGradientFor(GroupNormalization.BETA, betaView);
        return new Pair<>(gradient, dx);
    }

    @Override
    public void clear() {
        super.clear();
        cachedInput = null;
        cached = null;
    }

    /**
     * The per-(sample, channel) mean and 1 / sqrt(var + epsilon) of the input's groups, [N, C] each; writes
     * {@code x3 - mean} into {@code centred} (same shape as {@code x3}).
     */
    private Statistics statistics(Geometry geo, INDArray x3, INDArray centred) {
        INDArray mean = geo.spread(geo.groupSum(x3.sum(geo.sAxis)).divi(geo.m));
        exec(new BroadcastSubOp(x3, mean, centred, 0, geo.cAxis));
        INDArray norm = centred.norm2(geo.sAxis);                   // sqrt of the sum of squares per (n, c)
        INDArray variance = geo.groupSum(norm.muli(norm)).divi(geo.m);
        INDArray invStd = Transforms.pow(variance.addi(layerConf().getEpsilon()), -0.5, false);
        return new Statistics(mean, geo.spread(invStd));
    }

    private INDArray gamma(Geometry geo) {
        return getParam(GroupNormalization.GAMMA).castTo(dataType).reshape(1, geo.c);
    }

    private Geometry geometry(INDArray x) {
        return new Geometry(x, layerConf().getDataFormat(), layerConf());
    }

    private static INDArray contiguous(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && !a.isView() ? a : a.dup('c');
    }

    private static void exec(org.nd4j.linalg.api.ops.BroadcastOp op) {
        Nd4j.getExecutioner().exec(op);
    }

    private record Statistics(INDArray mean, INDArray invStd) {
    }

    /** The 3-d view of the input, its axes, and the group bookkeeping. */
    private static final class Geometry {
        final long n;
        final long c;
        final long s;
        final int groups;
        final long[] shape3;
        final int sAxis;
        final int cAxis;
        /** Elements per group: C / G channels times S positions. */
        final double m;

        Geometry(INDArray x, CNN2DFormat format, GroupNormalization conf) {
            n = x.size(0);
            if (x.rank() == 2) {
                c = x.size(1);
                s = 1;
                shape3 = new long[]{n, c, 1};
                cAxis = 1;
                sAxis = 2;
            } else if (x.rank() == 4 && format == CNN2DFormat.NHWC) {
                c = x.size(3);
                s = x.size(1) * x.size(2);
                shape3 = new long[]{n, s, c};
                cAxis = 2;
                sAxis = 1;
            } else if (x.rank() == 4) {
                c = x.size(1);
                s = x.size(2) * x.size(3);
                shape3 = new long[]{n, c, s};
                cAxis = 1;
                sAxis = 2;
            } else {
                throw new IllegalStateException(conf.getNormalizer() + " takes input of rank 2 or 4, got shape "
                        + java.util.Arrays.toString(x.shape()) + " at layer " + conf.getLayerName());
            }
            groups = GroupNormalization.effectiveGroups(conf.getGroups(), c, conf.getNormalizer());
            m = (double) (c / groups) * s;
        }

        INDArray view(INDArray contiguous) {
            return contiguous.reshape('c', shape3);
        }

        /** [N, C] -> [N, G]: the sum over each group's channels. */
        INDArray groupSum(INDArray perChannel) {
            return groups == c ? perChannel : perChannel.reshape('c', n, groups, c / groups).sum(2);
        }

        /** [N, G] -> [N, C]: each group's value on each of its channels. */
        INDArray spread(INDArray perGroup) {
            if (groups == c) {
                return perGroup;
            }
            return perGroup.reshape('c', n, groups, 1).repeat(2, c / groups).reshape('c', n, c);
        }
    }
}
