package org.bnlab.norm;

import org.bnlab.backend.BackendSetup;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.KernelPath;
import org.bnlab.model.ResNetConfig;
import org.bnlab.testing.Backend;
import org.bnlab.train.ParameterCount;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch Renormalization and Ghost BN: their layer against DL4J's BatchNormalization (bit for bit where the paper's
 * corrections vanish or a ghost batch is the batch), against BN over each ghost batch, against an independent
 * implementation of the paper's formulas and against finite differences (double precision), in both layouts and
 * after a Dense layer; the schedule; the seam's questions; ResNet-20's parameter count.
 */
@ExtendWith(Backend.class)
class GhostBatchRenormalizationTest {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();
    private static final BatchRenorm NO_CORRECTION = new BatchRenorm(0.9, 1e-5, 1, 0, 0, 0, 0);

    /** A layer as a graph makes it: channels set from the input, parameters initialised, gradient views set. */
    private static Layer instantiate(org.deeplearning4j.nn.conf.layers.Layer conf, int channels, DataType type) {
        ((FeedForwardLayer) conf).setNIn(InputType.feedForward(channels), true);
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().dataType(type).layer(conf).build();
        long n = conf.initializer().numParams(nnc);
        INDArray params = Nd4j.create(type, 1, n);
        Layer layer = conf.instantiate(nnc, List.of(), 0, params, true, type);
        layer.setBackpropGradientsViewArray(Nd4j.create(type, 1, n));
        return layer;
    }

    /** DL4J's own BN layer on its ND4J path (no oneDNN or cuDNN helper), the reference of bnlab's layers. */
    private static Layer dl4jBatchNorm(CNN2DFormat format, int channels, DataType type) {
        String before = System.getProperty(BackendSetup.HELPERS_DISABLE_PROPERTY);
        System.setProperty(BackendSetup.HELPERS_DISABLE_PROPERTY, "true");
        try {
            Layer layer = instantiate(new BatchNormalization.Builder().decay(0.9).eps(1e-5).dataFormat(format)
                    .build(), channels, type);
            assertEquals(null, layer.getHelper(), "the reference runs on ND4J operations");
            return layer;
        } finally {
            System.setProperty(BackendSetup.HELPERS_DISABLE_PROPERTY, before == null ? "false" : before);
        }
    }

    private static org.deeplearning4j.nn.conf.layers.Layer confOf(Normalizer normalizer, CNN2DFormat format,
                                                                   boolean dense) {
        return (dense ? normalizer.afterDense() : normalizer.afterConvolution(format, false)).get(0);
    }

    private static INDArray input(long seed, boolean dense, CNN2DFormat format, int n, DataType type) {
        Nd4j.getRandom().setSeed(seed);
        long[] shape = dense ? new long[]{n, 3} : format == CNN2DFormat.NCHW ? new long[]{n, 3, 2, 3}
                : new long[]{n, 2, 3, 3};
        return Nd4j.randn(type, shape).muli(2).addi(0.5);
    }

    /** One training step of a layer: forward, backward, the running statistics' update, and an SGD step on gamma and beta. */
    private record Step(INDArray out, INDArray inputGradient, INDArray gradient, INDArray params) {
    }

    private static Step step(Layer layer, INDArray x, INDArray upstream, int iteration) {
        layer.setIterationCount(iteration);
        layer.setInput(x.dup(), NO_WS);
        INDArray out = layer.activate(true, NO_WS).dup();
        Pair<Gradient, INDArray> g = layer.backpropGradient(upstream.dup(), NO_WS);
        INDArray gradient = layer.getGradientsViewArray().dup();
        for (String key : layer.paramTable().keySet()) {
            INDArray grad = g.getFirst().getGradientFor(key);
            // the running statistics' "gradient" is their update (DL4J's NoOp updater); gamma and beta: SGD 0.1
            layer.getParam(key).subi(key.equals("gamma") || key.equals("beta") ? grad.mul(0.1) : grad);
        }
        return new Step(out, g.getSecond().dup(), gradient, layer.params().dup());
    }

    private static void assertBitIdentical(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.dup().data().asFloat(), actual.dup().data().asFloat(), what);
    }

    private static void assertSameSteps(Layer reference, Layer layer, boolean dense, CNN2DFormat format, int n) {
        for (int s = 0; s < 4; s++) {
            INDArray x = input(10 + s, dense, format, n, DataType.FLOAT);
            INDArray upstream = input(20 + s, dense, format, n, DataType.FLOAT);
            Step expected = step(reference, x, upstream, s);
            Step actual = step(layer, x, upstream, s);
            assertBitIdentical(expected.out(), actual.out(), "output, step " + s);
            assertBitIdentical(expected.inputGradient(), actual.inputGradient(), "input gradient, step " + s);
            assertBitIdentical(expected.gradient(), actual.gradient(), "parameter gradients, step " + s);
            assertBitIdentical(expected.params(), actual.params(), "parameters and running statistics, step " + s);
            assertBitIdentical(reference.activate(false, NO_WS), layer.activate(false, NO_WS),
                    "inference output, step " + s);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NCHW", "NHWC", "dense"})
    void batchRenormWithoutCorrectionIsDl4jsBatchNormBitForBit(String layout) {
        boolean dense = layout.equals("dense");
        CNN2DFormat format = dense ? CNN2DFormat.NCHW : CNN2DFormat.valueOf(layout);
        assertSameSteps(dl4jBatchNorm(format, 3, DataType.FLOAT),
                instantiate(confOf(NO_CORRECTION, format, dense), 3, DataType.FLOAT), dense, format, 6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NCHW", "NHWC", "dense"})
    void batchRenormInItsWarmUpIsDl4jsBatchNormBitForBit(String layout) {
        boolean dense = layout.equals("dense");
        CNN2DFormat format = dense ? CNN2DFormat.NCHW : CNN2DFormat.valueOf(layout);
        assertSameSteps(dl4jBatchNorm(format, 3, DataType.FLOAT),
                instantiate(confOf(BatchRenorm.DEFAULT, format, dense), 3, DataType.FLOAT), dense, format, 6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NCHW", "NHWC", "dense"})
    void ghostBatchNormWithGhostBatchesNoSmallerThanTheBatchIsDl4jsBatchNormBitForBit(String layout) {
        boolean dense = layout.equals("dense");
        CNN2DFormat format = dense ? CNN2DFormat.NCHW : CNN2DFormat.valueOf(layout);
        for (int size : new int[]{6, 32}) {
            assertSameSteps(dl4jBatchNorm(format, 3, DataType.FLOAT),
                    instantiate(confOf(new GhostBatchNorm(0.9, 1e-5, size), format, dense), 3, DataType.FLOAT),
                    dense, format, 6);
        }
    }

    private static INDArray rows(INDArray a, long from, long to) {
        org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < index.length; i++) {
            index[i] = NDArrayIndex.all();
        }
        return a.get(index).dup();
    }

    /**
     * Ghost batches of 3 in a batch of 8 (3, 3 and 2): outputs, input gradients and the gamma/beta gradients are
     * those of DL4J's BN run on each ghost batch (bit for bit), the running statistics those of BN run on the ghost
     * batches in turn (to float rounding: the layer adds the three updates up before applying them once).
     */
    @ParameterizedTest
    @ValueSource(strings = {"NCHW", "NHWC", "dense"})
    void ghostBatchNormIsBatchNormOverEachGhostBatch(String layout) {
        boolean dense = layout.equals("dense");
        CNN2DFormat format = dense ? CNN2DFormat.NCHW : CNN2DFormat.valueOf(layout);
        Layer ghost = instantiate(confOf(new GhostBatchNorm(0.9, 1e-5, 3), format, dense), 3, DataType.FLOAT);
        Layer bn = dl4jBatchNorm(format, 3, DataType.FLOAT);
        for (int s = 0; s < 3; s++) {
            INDArray x = input(30 + s, dense, format, 8, DataType.FLOAT);
            INDArray upstream = input(40 + s, dense, format, 8, DataType.FLOAT);
            INDArray paramsBefore = bn.params().dup();
            INDArray gammaBefore = bn.getParam("gamma").dup();
            INDArray betaBefore = bn.getParam("beta").dup();
            List<INDArray> outs = new ArrayList<>();
            List<INDArray> inputGradients = new ArrayList<>();
            INDArray dGamma = null;
            INDArray dBeta = null;
            for (int[] range : new int[][]{{0, 3}, {3, 6}, {6, 8}}) {
                bn.setInput(rows(x, range[0], range[1]), NO_WS);
                outs.add(bn.activate(true, NO_WS).dup());
                Pair<Gradient, INDArray> g = bn.backpropGradient(rows(upstream, range[0], range[1]), NO_WS);
                inputGradients.add(g.getSecond().dup());
                INDArray gg = g.getFirst().getGradientFor("gamma").dup();
                INDArray gb = g.getFirst().getGradientFor("beta").dup();
                dGamma = dGamma == null ? gg : dGamma.addi(gg);
                dBeta = dBeta == null ? gb : dBeta.addi(gb);
                bn.getParam("mean").subi(g.getFirst().getGradientFor("mean"));
                bn.getParam("log10stdev").subi(g.getFirst().getGradientFor("log10stdev"));
            }
            bn.getParam("gamma").assign(gammaBefore.sub(dGamma.mul(0.1)));
            bn.getParam("beta").assign(betaBefore.sub(dBeta.mul(0.1)));
            assertFalse(paramsBefore.equals(bn.params()));

            ghost.setIterationCount(s);
            ghost.setInput(x.dup(), NO_WS);
            INDArray out = ghost.activate(true, NO_WS).dup();
            Pair<Gradient, INDArray> g = ghost.backpropGradient(upstream.dup(), NO_WS);
            assertBitIdentical(Nd4j.concat(0, outs.toArray(INDArray[]::new)), out, "output, step " + s);
            assertBitIdentical(Nd4j.concat(0, inputGradients.toArray(INDArray[]::new)), g.getSecond(),
                    "input gradient, step " + s);
            assertBitIdentical(dGamma, g.getFirst().getGradientFor("gamma"), "gamma gradient, step " + s);
            assertBitIdentical(dBeta, g.getFirst().getGradientFor("beta"), "beta gradient, step " + s);
            for (String key : ghost.paramTable().keySet()) {
                INDArray grad = g.getFirst().getGradientFor(key);
                ghost.getParam(key).subi(key.equals("gamma") || key.equals("beta") ? grad.mul(0.1) : grad);
            }
            float[] expected = bn.params().data().asFloat();
            float[] actual = ghost.params().data().asFloat();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "parameter " + i);
            }
        }
    }

    // ---- Batch Renormalization's formulas, written out independently in double precision ----

    /** Channel of flat element {@code i} of an array of {@code shape}, and its example. */
    private static int channel(long[] shape, int i, int chIdx) {
        long stride = 1;
        for (int a = shape.length - 1; a > chIdx; a--) {
            stride *= shape[a];
        }
        return (int) ((i / stride) % shape[chIdx]);
    }

    /**
     * y = gamma * ((x - mu_B) / sigma_B * r + d) + beta over the whole batch, r and d clipped; with {@code frozen}
     * (r then d per channel) those are used instead of the ones of {@code x}.
     */
    private static double[] renormReference(double[] x, long[] shape, int chIdx, double[] gamma, double[] beta,
                                            double[] mu, double[] var, double eps, double rMax, double dMax,
                                            double[][] frozen, double[][] rdOut) {
        int c = (int) shape[chIdx];
        double[] sum = new double[c];
        double[] count = new double[c];
        for (int i = 0; i < x.length; i++) {
            sum[channel(shape, i, chIdx)] += x[i];
            count[channel(shape, i, chIdx)]++;
        }
        double[] meanB = new double[c];
        double[] varB = new double[c];
        for (int k = 0; k < c; k++) {
            meanB[k] = sum[k] / count[k];
        }
        for (int i = 0; i < x.length; i++) {
            int k = channel(shape, i, chIdx);
            varB[k] += (x[i] - meanB[k]) * (x[i] - meanB[k]) / count[k];
        }
        double[] r = new double[c];
        double[] d = new double[c];
        for (int k = 0; k < c; k++) {
            double sigmaB = Math.sqrt(varB[k] + eps);
            double sigma = Math.sqrt(var[k] + eps);
            r[k] = frozen != null ? frozen[0][k] : Math.min(rMax, Math.max(1 / rMax, sigmaB / sigma));
            d[k] = frozen != null ? frozen[1][k] : Math.min(dMax, Math.max(-dMax, (meanB[k] - mu[k]) / sigma));
        }
        if (rdOut != null) {
            rdOut[0] = r;
            rdOut[1] = d;
        }
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int k = channel(shape, i, chIdx);
            double xHat = (x[i] - meanB[k]) / Math.sqrt(varB[k] + eps);
            y[i] = gamma[k] * (xHat * r[k] + d[k]) + beta[k];
        }
        return y;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Past its warm-up and ramps (r in [1/3, 3], d in [-5, 5]), with running statistics some of whose channels clip
     * r or d and some not: the layer's output is the paper's formula, its gradients those of the formula with r and
     * d held constant (central differences, double precision), and inference uses the running statistics.
     */
    @ParameterizedTest
    @ValueSource(strings = {"NCHW", "NHWC", "dense"})
    void batchRenormFollowsThePapersFormulasAndItsGradientsHoldRAndDConstant(String layout) {
        boolean dense = layout.equals("dense");
        CNN2DFormat format = dense ? CNN2DFormat.NCHW : CNN2DFormat.valueOf(layout);
        int chIdx = dense || format == CNN2DFormat.NCHW ? 1 : 3;
        BatchRenorm renorm = new BatchRenorm(0.9, 1e-5, 3, 5, 10, 10, 10);
        Layer layer = instantiate(confOf(renorm, format, dense), 3, DataType.DOUBLE);
        double[] gamma = {1.5, -0.7, 0.9};
        double[] beta = {0.2, -0.1, 0.4};
        // channel 0: near the batch statistics (no clipping); 1: variance far off (r clipped); 2: mean far off (d clipped)
        double[] mu = {0.4, 0.6, 30.0};
        double[] var = {3.5, 200.0, 4.0};
        layer.getParam("gamma").assign(Nd4j.createFromArray(gamma).reshape(1, 3));
        layer.getParam("beta").assign(Nd4j.createFromArray(beta).reshape(1, 3));
        layer.getParam("mean").assign(Nd4j.createFromArray(mu).reshape(1, 3));
        double[] log10s = new double[3];
        for (int k = 0; k < 3; k++) {
            log10s[k] = 0.5 * Math.log10(var[k]);
        }
        layer.getParam("log10stdev").assign(Nd4j.createFromArray(log10s).reshape(1, 3));
        INDArray x = input(50, dense, format, 5, DataType.DOUBLE);
        INDArray w = input(51, dense, format, 5, DataType.DOUBLE);
        long[] shape = x.shape();
        double[] xs = x.data().asDouble();
        double[] ws = w.data().asDouble();
        double[][] rd = new double[2][];
        double[] expected = renormReference(xs, shape, chIdx, gamma, beta, mu, var, 1e-5, 3, 5, null, rd);
        assertTrue(rd[0][0] > 1 / 3.0 && rd[0][0] < 3 && Math.abs(rd[1][0]) < 5, "channel 0 is not clipped");
        assertEquals(1 / 3.0, rd[0][1], 1e-12, "channel 1's r is clipped");
        assertEquals(-5, rd[1][2], 1e-12, "channel 2's d is clipped");

        layer.setIterationCount(100);
        layer.setInput(x.dup(), NO_WS);
        double[] actual = layer.activate(true, NO_WS).dup().data().asDouble();
        assertArrayEquals(expected, actual, 1e-9, "the paper's y");
        Pair<Gradient, INDArray> g = layer.backpropGradient(w.dup(), NO_WS);
        double[] dx = g.getSecond().dup().data().asDouble();
        double[] dGamma = g.getFirst().getGradientFor("gamma").dup().data().asDouble();
        double[] dBeta = g.getFirst().getGradientFor("beta").dup().data().asDouble();

        // loss = sum(w * y(x)) with r, d frozen at their values for x
        double h = 1e-6;
        for (int i = 0; i < xs.length; i++) {
            double[] plus = xs.clone();
            double[] minus = xs.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (dot(ws, renormReference(plus, shape, chIdx, gamma, beta, mu, var, 1e-5, 3, 5, rd, null))
                    - dot(ws, renormReference(minus, shape, chIdx, gamma, beta, mu, var, 1e-5, 3, 5, rd, null)))
                    / (2 * h);
            assertEquals(numeric, dx[i], 1e-6 * Math.max(1, Math.abs(numeric)), "dL/dx[" + i + "]");
        }
        for (int k = 0; k < 3; k++) {
            double[] gp = gamma.clone();
            double[] gm = gamma.clone();
            gp[k] += h;
            gm[k] -= h;
            double numeric = (dot(ws, renormReference(xs, shape, chIdx, gp, beta, mu, var, 1e-5, 3, 5, rd, null))
                    - dot(ws, renormReference(xs, shape, chIdx, gm, beta, mu, var, 1e-5, 3, 5, rd, null))) / (2 * h);
            assertEquals(numeric, dGamma[k], 1e-6 * Math.max(1, Math.abs(numeric)), "dL/dgamma[" + k + "]");
            double[] bp = beta.clone();
            double[] bm = beta.clone();
            bp[k] += h;
            bm[k] -= h;
            numeric = (dot(ws, renormReference(xs, shape, chIdx, gamma, bp, mu, var, 1e-5, 3, 5, rd, null))
                    - dot(ws, renormReference(xs, shape, chIdx, gamma, bm, mu, var, 1e-5, 3, 5, rd, null))) / (2 * h);
            assertEquals(numeric, dBeta[k], 1e-6 * Math.max(1, Math.abs(numeric)), "dL/dbeta[" + k + "]");
        }

        // inference: (x - mu) / sigma, which the corrections make training's output approach
        double[] inference = layer.activate(false, NO_WS).dup().data().asDouble();
        for (int i = 0; i < xs.length; i++) {
            int k = channel(shape, i, chIdx);
            assertEquals(gamma[k] * (xs[i] - mu[k]) / Math.sqrt(var[k] + 1e-5) + beta[k], inference[i], 1e-9);
        }
    }

    /** Ghost BN's gradients (with respect to the input, gamma and beta) against central differences, in double. */
    @ParameterizedTest
    @ValueSource(strings = {"NCHW", "NHWC", "dense"})
    void ghostBatchNormGradientsMatchFiniteDifferences(String layout) {
        boolean dense = layout.equals("dense");
        CNN2DFormat format = dense ? CNN2DFormat.NCHW : CNN2DFormat.valueOf(layout);
        Layer layer = instantiate(confOf(new GhostBatchNorm(0.9, 1e-5, 2), format, dense), 3, DataType.DOUBLE);
        layer.getParam("gamma").assign(Nd4j.createFromArray(1.5, -0.7, 0.9).reshape(1, 3));
        layer.getParam("beta").assign(Nd4j.createFromArray(0.2, -0.1, 0.4).reshape(1, 3));
        INDArray x = input(60, dense, format, 5, DataType.DOUBLE);
        INDArray w = input(61, dense, format, 5, DataType.DOUBLE);
        layer.setInput(x.dup(), NO_WS);
        layer.activate(true, NO_WS);
        Pair<Gradient, INDArray> g = layer.backpropGradient(w.dup(), NO_WS);
        INDArray dx = g.getSecond().dup();
        INDArray dGamma = g.getFirst().getGradientFor("gamma").dup();
        INDArray dBeta = g.getFirst().getGradientFor("beta").dup();
        double h = 1e-6;
        java.util.function.Supplier<Double> loss = () -> {
            layer.setInput(x.dup(), NO_WS);
            return layer.activate(true, NO_WS).mul(w).sumNumber().doubleValue();
        };
        INDArray flat = x.reshape(x.length());
        for (int i = 0; i < x.length(); i++) {
            double v = flat.getDouble(i);
            flat.putScalar(i, v + h);
            double plus = loss.get();
            flat.putScalar(i, v - h);
            double minus = loss.get();
            flat.putScalar(i, v);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, dx.reshape(dx.length()).getDouble(i), 1e-6 * Math.max(1, Math.abs(numeric)),
                    "dL/dx[" + i + "]");
        }
        for (String key : new String[]{"gamma", "beta"}) {
            INDArray p = layer.getParam(key);
            INDArray analytic = key.equals("gamma") ? dGamma : dBeta;
            for (int k = 0; k < 3; k++) {
                double v = p.getDouble(k);
                p.putScalar(k, v + h);
                double plus = loss.get();
                p.putScalar(k, v - h);
                double minus = loss.get();
                p.putScalar(k, v);
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, analytic.getDouble(k), 1e-6 * Math.max(1, Math.abs(numeric)),
                        "dL/d" + key + "[" + k + "]");
            }
        }
    }

    @Test
    void theScheduleIsThePapersWithLinearRamps() {
        GhostBatchRenormalization conf = (GhostBatchRenormalization) BatchRenorm.DEFAULT
                .afterConvolution(CNN2DFormat.NCHW, false).get(0);
        long[] steps = {0, 4999, 5000, 12500, 22500, 25000, 40000, 100000};
        double[] rMax = {1, 1, 1, 1 + 2 * 7500 / 35000.0, 2, 1 + 2 * 20000 / 35000.0, 3, 3};
        double[] dMax = {0, 0, 0, 5 * 7500 / 20000.0, 5 * 17500 / 20000.0, 5, 5, 5};
        for (int i = 0; i < steps.length; i++) {
            assertEquals(rMax[i], conf.maxRAt(steps[i]), 1e-12, "r_max at step " + steps[i]);
            assertEquals(dMax[i], conf.maxDAt(steps[i]), 1e-12, "d_max at step " + steps[i]);
        }
        GhostBatchRenormalization jump = (GhostBatchRenormalization) new BatchRenorm(0.9, 1e-5, 2, 1, 3, 0, 0)
                .afterDense().get(0);
        assertEquals(1, jump.maxRAt(2));
        assertEquals(2, jump.maxRAt(3), "no ramp: the limits jump when the warm-up ends");
        assertEquals(1, jump.maxDAt(3));
        GhostBatchRenormalization ghost = (GhostBatchRenormalization) GhostBatchNorm.DEFAULT.afterDense().get(0);
        assertEquals(1, ghost.maxRAt(1_000_000));
        assertEquals(0, ghost.maxDAt(1_000_000));
    }

    @Test
    void eachTypeOwnsItsLayersAndKeepsBatchNormsRunningStatistics() {
        for (Normalizer type : List.of(BatchRenorm.DEFAULT, GhostBatchNorm.DEFAULT)) {
            org.deeplearning4j.nn.conf.layers.Layer conv = type.afterConvolution(CNN2DFormat.NHWC, true).get(0);
            assertEquals(Optional.of(type), Normalizers.owning(conv), type.type());
            assertSame(conv, type.onOneDnn(conv), "no kernel layer: the same ND4J layer on both paths");
            assertEquals(CNN2DFormat.NHWC, Normalizers.statisticsOf(conv).orElseThrow().format());
            assertEquals("log10stdev", Normalizers.statisticsOf(conv).orElseThrow().varianceKey());
            assertEquals(0.0, ((BatchNormalization) conv).getGamma(), "zero-residual: gamma starts at 0");
            assertTrue(type.hasAffine() && type.hasRunningStatistics());
            assertEquals(java.util.Set.of("gamma", "beta"), type.affineParameters());
            GhostBatchRenormalization decayed = (GhostBatchRenormalization) type.withAffineDecay(conv, 1e-4);
            assertEquals(1, decayed.getRegularizationByParam("gamma").size());
            assertEquals(null, decayed.getRegularizationByParam("mean"));
            assertEquals(null, ((GhostBatchRenormalization) type.withAffineDecay(conv, 0))
                    .getRegularizationByParam("beta"), "no weight decay on gamma and beta by default");
        }
        org.deeplearning4j.nn.conf.layers.Layer renorm = BatchRenorm.DEFAULT.afterDense().get(0);
        assertFalse(BatchNorm.DEFAULT.owns(renorm), "BN does not claim the layers that extend its own");
        assertFalse(GhostBatchNorm.DEFAULT.owns(renorm));
        assertEquals(Optional.of(BatchRenorm.DEFAULT), Normalizers.named("Batch_Renorm"));
        assertEquals(Optional.of(GhostBatchNorm.DEFAULT), Normalizers.named("gbn"));
    }

    @Test
    void parametersOutsideTheirRulesAreNamed() {
        assertEquals("r_max", assertThrows(Normalizer.InvalidParameter.class,
                () -> new BatchRenorm(0.9, 1e-5, 0.5, 5, 0, 0, 0)).parameter());
        assertEquals("d_max", assertThrows(Normalizer.InvalidParameter.class,
                () -> new BatchRenorm(0.9, 1e-5, 3, -1, 0, 0, 0)).parameter());
        assertEquals("warmup_steps", assertThrows(Normalizer.InvalidParameter.class,
                () -> new BatchRenorm(0.9, 1e-5, 3, 5, -1, 0, 0)).parameter());
        assertEquals("virtual_batch_size", assertThrows(Normalizer.InvalidParameter.class,
                () -> new GhostBatchNorm(0.9, 1e-5, 0)).parameter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dl4j", "onednn"})
    void resnet20HasBatchNormsParameterCountWithEither(String kernels) {
        for (Normalizer type : List.of(BatchRenorm.DEFAULT, GhostBatchNorm.DEFAULT)) {
            ComputationGraph net = CifarResNet.build(ResNetConfig.resnet20(10).withNormalization(type)
                    .withKernels(KernelPath.parse(kernels)), new SgdMomentum(0.1, 0.9), 1e-4, 42);
            assertEquals(269_722, ParameterCount.trainable(net), type.type());
            assertEquals(269_722 + 1_376, net.numParams(), type.type() + ": 19 layers' running statistics");
            assertEquals(19, java.util.Arrays.stream(net.getLayers())
                    .filter(l -> l instanceof GhostBatchRenormalizationLayer).count());
        }
    }
}
