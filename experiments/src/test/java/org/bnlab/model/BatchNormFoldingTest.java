package org.bnlab.model;

import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.BatchRenorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;
import org.bnlab.testing.Backend;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(Backend.class)
class BatchNormFoldingTest {

    private static ComputationGraph trained(Normalizer norm, CNN2DFormat format, KernelPath kernels,
                                            Shortcut shortcut, int steps) {
        ResNetConfig spec = new ResNetConfig(8, 10, 8, norm, Initialization.HE, shortcut, format, kernels);
        ComputationGraph net = CifarResNet.build(spec, new SgdMomentum(0.05, 0.9), 1e-4, 42);
        for (int step = 0; step < steps; step++) {
            net.fit(batch(format, 16, step));
        }
        return net;
    }

    private static DataSet batch(CNN2DFormat format, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        // offset and scaled so that the running statistics move well away from mean 0, variance 1
        INDArray x = (format == CNN2DFormat.NCHW ? Nd4j.rand(DataType.FLOAT, n, 3, 8, 8)
                : Nd4j.rand(DataType.FLOAT, n, 8, 8, 3)).muli(3).addi(1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 7) % 10, 1.0);
        }
        return new DataSet(x, y);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale + 1e-7, what + ": max |difference| " + diff + " against max |value| " + scale);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"DL4J, NHWC, A", "DL4J, NCHW, B", "ONEDNN, NHWC, A", "ONEDNN, NCHW, A", "ONEDNN, NHWC, B"})
    void foldedNetworkGivesTheTrainedNetworksInferenceOutputs(KernelPath kernels, CNN2DFormat format,
                                                              Shortcut shortcut) {
        ComputationGraph net = trained(BatchNorm.DEFAULT, format, kernels, shortcut, 4);
        INDArray x = batch(format, 8, 99).getFeatures();
        INDArray expected = net.outputSingle(false, x).dup();
        INDArray expectedFeatures = net.feedForward(x, false).get(CifarResNet.FEATURES).dup();
        INDArray paramsBefore = net.params().dup();

        ComputationGraph folded = BatchNormFolding.fold(net);

        assertClose(expected, folded.outputSingle(false, x), "softmax outputs");
        assertClose(expectedFeatures, folded.feedForward(x, false).get(CifarResNet.FEATURES), "pooled features");
        assertEquals(paramsBefore, net.params(), "the trained network is left as it was");
        assertEquals(expected, net.outputSingle(false, x), "the trained network still computes the same");
        // the statistics moved away from their initial values, so the folding is not trivially the identity
        INDArray mean = net.getLayer("stem_bn").getParam("mean");
        assertTrue(mean.amaxNumber().doubleValue() > 0.05, "stem running mean " + mean);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"DL4J, A", "ONEDNN, A", "ONEDNN, B"})
    void foldedGraphIsTheTrainedGraphWithoutItsBatchNormVertices(KernelPath kernels, Shortcut shortcut) {
        ComputationGraph net = trained(BatchNorm.DEFAULT, CNN2DFormat.NHWC, kernels, shortcut, 0);
        ComputationGraph folded = BatchNormFolding.fold(net);
        ComputationGraphConfiguration before = net.getConfiguration();
        Map<String, String> bnToConv = new TreeMap<>();
        before.getVertexInputs().forEach((name, in) -> {
            if (before.getVertices().get(name) instanceof LayerVertex lv
                    && Normalizers.owning(lv.getLayerConf().getLayer()).isPresent()) {
                bnToConv.put(name, in.get(0));
            }
        });
        assertEquals(shortcut == Shortcut.B ? 9 : 7, bnToConv.size());
        Map<String, List<String>> expected = new TreeMap<>();
        before.getVertexInputs().forEach((name, in) -> {
            if (!bnToConv.containsKey(name)) {
                List<String> mapped = new ArrayList<>();
                in.forEach(i -> mapped.add(bnToConv.getOrDefault(i, i)));
                expected.put(name, mapped);
            }
        });
        assertEquals(expected, new TreeMap<>(folded.getConfiguration().getVertexInputs()));
        Set<String> classesBefore = before.getVertices().entrySet().stream()
                .filter(e -> !bnToConv.containsKey(e.getKey())).map(e -> e.getKey() + ":" + kind(e.getValue()))
                .collect(Collectors.toSet());
        Set<String> classesAfter = folded.getConfiguration().getVertices().entrySet().stream()
                .map(e -> e.getKey() + ":" + kind(e.getValue())).collect(Collectors.toSet());
        assertEquals(classesBefore, classesAfter, "every other vertex keeps its kind (layer class or vertex class)");
    }

    private static String kind(org.deeplearning4j.nn.conf.graph.GraphVertex v) {
        return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer().getClass().getSimpleName()
                : v.getClass().getSimpleName();
    }

    @Test
    void aNetworkWithoutBatchNormIsRefused() {
        ComputationGraph net = trained(NoNorm.DEFAULT, CNN2DFormat.NHWC, KernelPath.DL4J, Shortcut.A, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchNormFolding.fold(net));
        assertEquals("nothing to fold: the network has no batchnorm layer", e.getMessage());
    }

    @Test
    void anotherNormalizerIsRefusedByName() {
        ComputationGraph net = trained(BatchRenorm.DEFAULT, CNN2DFormat.NHWC, KernelPath.DL4J, Shortcut.A, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchNormFolding.fold(net));
        assertEquals("cannot fold layer stem_bn: it is " + BatchRenorm.TYPE + ", and only batchnorm normalises with"
                + " fixed statistics at inference", e.getMessage());
    }
}
