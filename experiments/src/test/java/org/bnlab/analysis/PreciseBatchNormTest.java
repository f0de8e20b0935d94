package org.bnlab.analysis;

import org.bnlab.model.KernelPath;
import org.bnlab.testing.Backend;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Precise BN's statistics against a direct computation over all images at once. */
@ExtendWith(Backend.class)
class PreciseBatchNormTest {

    /** input [n, 4] -> dense 3 (identity) -> BN -> softmax output over 2 classes. */
    private static ComputationGraph tiny(boolean useLogStd) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1))
                .dataType(DataType.FLOAT).graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().nOut(3).useLogStd(useLogStd).build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @ParameterizedTest(name = "useLogStd={0}")
    @ValueSource(booleans = {true, false})
    void equalsTheDirectMeanAndVarianceOverAllImages(boolean useLogStd) {
        ComputationGraph net = tiny(useLogStd);
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.FLOAT, 23, 4).muli(5).addi(3); // mean far from 0: cancellation would show
        INDArray y = Nd4j.zeros(DataType.FLOAT, 23, 2);
        y.getColumn(0).assign(1);
        float[] before = net.params().dup().toFloatVector();

        PreciseBatchNorm.Result all = PreciseBatchNorm.reestimate(net, new org.nd4j.linalg.dataset.ViewIterator(new DataSet(x, y), 5), 100);
        PreciseBatchNorm.Result firstTwo = PreciseBatchNorm.reestimate(net, new org.nd4j.linalg.dataset.ViewIterator(new DataSet(x, y), 5), 2);

        assertArrayEquals(before, net.params().toFloatVector(), "the network given is not changed");
        assertEquals(23, all.images());
        assertEquals(5, all.batches());
        assertEquals(10, firstTwo.images());
        // direct: z = x W + b over all 23 images, in double
        INDArray w = net.getLayer("dense").getParam("W").castTo(DataType.DOUBLE);
        INDArray b = net.getLayer("dense").getParam("b").castTo(DataType.DOUBLE);
        INDArray z = x.castTo(DataType.DOUBLE).mmul(w).addiRowVector(b);
        double[] mean = z.mean(0).toDoubleVector();
        double[] var = z.var(false, 0).toDoubleVector();
        BatchNormLayers.Entry bn = BatchNormLayers.of(all.net()).get(0);
        double[][] stored = BatchNormLayers.runningStatistics(all.net(), bn);
        for (int c = 0; c < 3; c++) {
            assertEquals(mean[c], stored[0][c], 1e-5 * Math.max(1, Math.abs(mean[c])), "mean " + c);
            assertEquals(var[c], stored[1][c], 1e-4 * var[c], "variance " + c);
        }
        INDArray z10 = z.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10));
        assertEquals(z10.var(false, 0).getDouble(1),
                BatchNormLayers.runningStatistics(firstTwo.net(), bn)[1][1], 1e-4 * z10.var(false, 0).getDouble(1));
        // the copy's inference uses the new statistics: the BN output over all images then has mean 0 (beta = 0)
        INDArray bnOut = all.net().feedForward(new INDArray[]{x}, false, false).get("bn");
        assertEquals(0, bnOut.mean(0).maxNumber().doubleValue(), 1e-3);
        assertEquals(0, bnOut.mean(0).minNumber().doubleValue(), 1e-3);
    }

    @Test
    void resNetFirstLayerOnBothKernelPathsMatchesItsConvolutionOutput() {
        for (KernelPath kernels : KernelPath.values()) {
            CNN2DFormat format = kernels == KernelPath.ONEDNN ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
            ComputationGraph net = ForwardPassesTest.tinyResNet(kernels, format);
            PreciseBatchNorm.Result r = PreciseBatchNorm.reestimate(net,
                    ForwardPassesTest.batches(format, 4, 11), 10);
            assertEquals(11, r.images());
            BatchNormLayers.Entry first = BatchNormLayers.of(net).get(0);
            // the first BN layer's input (the stem convolution) does not depend on the batch: compute it at once
            var it = ForwardPassesTest.batches(format, 11, 11);
            INDArray conv = net.feedForward(new INDArray[]{it.next().getFeatures()}, true, false).get(first.input())
                    .castTo(DataType.DOUBLE);
            int axis = first.channelAxis();
            int[] others = axis == 1 ? new int[]{0, 2, 3} : new int[]{0, 1, 2};
            double[] mean = conv.mean(others).toDoubleVector();
            double[] var = conv.var(false, others).toDoubleVector();
            double[][] stored = BatchNormLayers.runningStatistics(r.net(), first);
            for (int c = 0; c < mean.length; c++) {
                assertEquals(mean[c], stored[0][c], 1e-4 + 1e-4 * Math.abs(mean[c]), kernels + " mean " + c);
                assertEquals(var[c], stored[1][c], 1e-4 + 1e-3 * var[c], kernels + " variance " + c);
            }
        }
    }
}
