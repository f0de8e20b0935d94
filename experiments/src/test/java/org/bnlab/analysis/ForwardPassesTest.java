package org.bnlab.analysis;

import org.bnlab.model.CifarResNet;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.model.ResNetConfig;
import org.bnlab.model.Shortcut;
import org.bnlab.testing.Backend;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Batch statistics at test time leave the network bit-identical, on both kernel paths. */
@ExtendWith(Backend.class)
class ForwardPassesTest {

    static ComputationGraph tinyResNet(KernelPath kernels, CNN2DFormat format) {
        ResNetConfig spec = new ResNetConfig(8, 3, 8, BatchNorm.DEFAULT, Initialization.HE, Shortcut.A,
                format, kernels);
        ComputationGraph net = CifarResNet.build(spec, new Sgd(0.1), 0, 7);
        // running statistics away from their initial 0 and 1, so that the modes differ
        for (BatchNormLayers.Entry e : BatchNormLayers.of(net)) {
            int c = (int) net.getLayer(e.name()).getParam("mean").length();
            double[] mean = new double[c];
            double[] var = new double[c];
            for (int i = 0; i < c; i++) {
                mean[i] = 0.1 * (i % 5) - 0.2;
                var[i] = 0.5 + 0.1 * (i % 7);
            }
            BatchNormLayers.setRunningStatistics(net, e, mean, var);
        }
        return net;
    }

    /** 11 images of 8x8x3 in batches of 5 (so the last holds one image), 3 classes. */
    static DataSetIterator batches(CNN2DFormat format, int batchSize, int images) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.rand(DataType.FLOAT, images, 3, 8, 8)
                : Nd4j.rand(DataType.FLOAT, images, 8, 8, 3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, images, 3);
        for (int i = 0; i < images; i++) {
            y.putScalar(i, i % 3, 1);
        }
        return new org.nd4j.linalg.dataset.ViewIterator(new DataSet(x, y), batchSize);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"DL4J, NCHW", "ONEDNN, NHWC", "ONEDNN, NCHW"})
    void batchStatisticsLeaveTheNetworkBitIdentical(KernelPath kernels, CNN2DFormat format) {
        ComputationGraph net = tinyResNet(kernels, format);
        float[] before = net.params().dup().toFloatVector();
        ModelOutputs running = ForwardPasses.running(net, batches(format, 5, 11));
        ModelOutputs batch = ForwardPasses.batchStatistics(net, batches(format, 5, 11));
        ModelOutputs batch2 = ForwardPasses.batchStatistics(net, batches(format, 2, 11));
        assertArrayEquals(before, net.params().toFloatVector(), "parameters and running statistics unchanged");
        assertEquals(11, batch.size());
        assertArrayEquals(running.labels(), batch.labels());
        assertFalse(Arrays.deepEquals(running.probabilities(), batch.probabilities()),
                "batch statistics differ from the running ones");
        assertFalse(Arrays.equals(batch.probabilities()[0], batch2.probabilities()[0]),
                "an image's output depends on its batch mates");
        // inference afterwards gives what it gave before
        assertTrue(Arrays.deepEquals(running.probabilities(),
                ForwardPasses.running(net, batches(format, 5, 11)).probabilities()));
    }
}
