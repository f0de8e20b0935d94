package org.bnlab.kernels;

import org.bnlab.testing.Backend;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.*;

/** {@link DnnlBatchNorm} against DL4J's BatchNormalization with the same parameters and input. */
@ExtendWith(Backend.class)
class DnnlBatchNormTest {

    private static final LayerWorkspaceMgr MGR = LayerWorkspaceMgr.noWorkspaces();

    private static Layer[] pair(CNN2DFormat format, int c, boolean useLogStd, boolean fuseRelu) {
        BatchNormalization plainConf = new BatchNormalization.Builder().nIn(c).nOut(c).decay(0.9).eps(1e-5)
                .useLogStd(useLogStd).dataFormat(format).build();
        Layer plain = Compare.layer(plainConf, null);
        // non-trivial gamma, beta and running statistics
        plain.getParam("gamma").assign(Nd4j.rand(DataType.FLOAT, 1, c).addi(0.5));
        plain.getParam("beta").assign(Nd4j.rand(DataType.FLOAT, 1, c).subi(0.5));
        plain.getParam("mean").assign(Nd4j.rand(DataType.FLOAT, 1, c).subi(0.5));
        plain.getParam(useLogStd ? "log10stdev" : "var").assign(useLogStd
                ? Nd4j.rand(DataType.FLOAT, 1, c).subi(0.5).muli(0.5) : Nd4j.rand(DataType.FLOAT, 1, c).addi(0.5));
        Layer fast = Compare.layer(DnnlBatchNormalization.of(plainConf, fuseRelu), plain.params());
        assertInstanceOf(DnnlBatchNorm.class, fast);
        return new Layer[]{plain, fast};
    }

    private static INDArray input(CNN2DFormat format, int n, int c, int h, int w) {
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.rand(DataType.FLOAT, n, c, h, w)
                : Nd4j.rand(DataType.FLOAT, n, h, w, c);
        return x.muli(3).subi(1); // mean 0.5, not unit variance
    }

    @ParameterizedTest(name = "{0} c={1} useLogStd={2} fuseRelu={3}")
    @CsvSource({"NHWC, 16, true, false", "NCHW, 16, true, false", "NHWC, 8, false, false", "NCHW, 8, false, false",
            "NHWC, 16, true, true", "NCHW, 16, true, true"})
    void matchesPlainLayer(CNN2DFormat format, int c, boolean useLogStd, boolean fuseRelu) {
        Nd4j.getRandom().setSeed(42);
        Layer[] layers = pair(format, c, useLogStd, fuseRelu);
        Layer plain = layers[0], fast = layers[1];
        INDArray x = input(format, 6, c, 7, 5);

        for (boolean training : new boolean[]{false, true}) {
            plain.setInput(x.dup(), MGR);
            fast.setInput(x.dup(), MGR);
            INDArray yPlain = plain.activate(training, MGR);
            if (fuseRelu) {
                yPlain = Transforms.relu(yPlain, true);
            }
            Compare.close(yPlain, fast.activate(training, MGR), 1e-5, "forward training=" + training);
        }

        // training step: forward (batch statistics) then backward
        plain.setInput(x.dup(), MGR);
        fast.setInput(x.dup(), MGR);
        INDArray yPlain = plain.activate(true, MGR);
        fast.activate(true, MGR);
        INDArray eps = Nd4j.rand(DataType.FLOAT, yPlain.shape()).subi(0.5);
        INDArray epsPlain = fuseRelu ? eps.mul(yPlain.gt(0).castTo(DataType.FLOAT)) : eps.dup();
        Pair<Gradient, INDArray> gPlain = plain.backpropGradient(epsPlain, MGR);
        Pair<Gradient, INDArray> gFast = fast.backpropGradient(eps.dup(), MGR);
        Compare.close(gPlain.getSecond(), gFast.getSecond(), 1e-4, "input gradient");
        assertEquals(gPlain.getFirst().gradientForVariable().keySet(), gFast.getFirst().gradientForVariable().keySet());
        for (String key : gPlain.getFirst().gradientForVariable().keySet()) {
            // running-statistics "gradients" included: they carry the running-average update
            Compare.close(gPlain.getFirst().getGradientFor(key), gFast.getFirst().getGradientFor(key), 1e-4, key);
        }
        for (String impl : ((DnnlBatchNorm) fast).implementations()) {
            assertNotNull(impl);
            assertFalse(Dnnl.isReference(impl), impl);
        }
    }

    @ParameterizedTest
    @CsvSource({"NHWC", "NCHW"})
    void runningStatisticsFollowDl4jsConvention(CNN2DFormat format) {
        // what the updater does with the returned gradient (NoOp updater, not divided by minibatch): p -= g
        Nd4j.getRandom().setSeed(3);
        Layer[] layers = pair(format, 8, true, false);
        Layer fast = layers[1];
        INDArray x = input(format, 4, 8, 5, 5);
        INDArray mean0 = fast.getParam("mean").dup();
        INDArray var0 = Transforms.pow(Nd4j.valueArrayOf(mean0.shape(), 10.0, DataType.FLOAT),
                fast.getParam("log10stdev").mul(2), false);
        fast.setInput(x, MGR);
        fast.activate(true, MGR);
        Gradient g = fast.backpropGradient(Nd4j.rand(DataType.FLOAT, x.shape()), MGR).getFirst();
        INDArray mean1 = mean0.sub(g.getGradientFor("mean"));
        INDArray log1 = fast.getParam("log10stdev").sub(g.getGradientFor("log10stdev"));
        int[] dims = format == CNN2DFormat.NCHW ? new int[]{0, 2, 3} : new int[]{0, 1, 2};
        INDArray batchMean = x.mean(dims).reshape(mean0.shape());
        INDArray batchVar = x.var(false, dims).reshape(mean0.shape());
        Compare.close(mean0.mul(0.9).add(batchMean.mul(0.1)), mean1, 1e-5, "running mean");
        Compare.close(var0.mul(0.9).add(batchVar.mul(0.1)),
                Transforms.pow(Nd4j.valueArrayOf(mean0.shape(), 10.0, DataType.FLOAT), log1.mul(2), false), 1e-4,
                "running variance");
    }
}
