package org.bnlab.measure;

import org.bnlab.norm.Normalizer;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.model.ResNetConfig;
import org.bnlab.model.Shortcut;
import org.bnlab.results.LayerActivationStats;
import org.bnlab.testing.Backend;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(Backend.class)
class ActivationStatisticsTest {

    @Test
    void statisticsOfAHandMadeTensor() {
        // 0, 0 and -0 are exact zeros; 1e-7 is not, however close
        INDArray x = Nd4j.createFromArray(new float[]{0, 0, 1, -1, 2, 4, -0f, 1e-7f}).reshape(1, 2, 2, 2);

        LayerActivationStats s = ActivationStatistics.of("layer", "conv", x);

        assertEquals("layer", s.layer());
        assertEquals("conv", s.kind());
        assertEquals("1x2x2x2", s.shape());
        assertEquals(0.75, s.mean(), 1e-6);
        // population standard deviation: squared deviations sum to 17.5 over 8 elements
        assertEquals(Math.sqrt(17.5 / 8), s.std(), 1e-6);
        assertEquals(-1.0, s.min());
        assertEquals(4.0, s.max());
        assertEquals(1.0, s.meanAbs(), 1e-6);
        assertEquals(3.0 / 8, s.zeroFraction());
    }

    @Test
    void exactForLargeArraysFarFromZeroAndForViews() {
        // blocks of float sums, a mean of 10,000 with a spread of 1 (where a one-pass sum of squares fails), an odd
        // length, and a non-dense view: all against a double-precision reference
        java.util.Random random = new java.util.Random(3);
        float[] values = new float[300_013];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (10_000 + random.nextGaussian());
        }
        double sum = 0, squares = 0;
        for (float v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        for (float v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / values.length);
        INDArray x = Nd4j.createFromArray(values).reshape(1, values.length);

        LayerActivationStats s = ActivationStatistics.of("layer", "conv", x);
        assertEquals(mean, s.mean(), 1e-6 * mean);
        assertEquals(std, s.std(), 1e-5 * std);
        assertEquals(mean, s.meanAbs(), 1e-6 * mean);

        INDArray wide = Nd4j.createFromArray(values).reshape(7, 42_859).get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3));
        LayerActivationStats view = ActivationStatistics.of("view", "conv", wide);
        assertEquals(wide.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue(),
                view.mean(), 1e-3);
        assertEquals("7x3", view.shape());
    }

    @Test
    void aMatrixWorksToo() {
        INDArray x = Nd4j.createFromArray(new float[][]{{0, 3}, {0, -3}});

        LayerActivationStats s = ActivationStatistics.of("pool", "global-avg-pool", x);

        assertEquals("2x2", s.shape());
        assertEquals(0.0, s.mean(), 1e-9);
        assertEquals(Math.sqrt(4.5), s.std(), 1e-6);
        assertEquals(1.5, s.meanAbs(), 1e-6);
        assertEquals(0.5, s.zeroFraction());
    }

    @Test
    void everyLayerOfTheFusedNetworkInNetworkOrderWithoutTheInput() {
        ComputationGraph net = resnet8(BatchNorm.DEFAULT, KernelPath.ONEDNN);
        Map<String, INDArray> activations = net.feedForward(images(4), true);

        List<LayerActivationStats> rows = ActivationStatistics.of(net, activations);

        List<String> layers = rows.stream().map(LayerActivationStats::layer).toList();
        assertEquals(activations.size() - 1, rows.size(), "every vertex but the input");
        assertFalse(layers.contains("input"));
        assertEquals("stem_conv", layers.get(0));
        assertEquals("fc", layers.get(layers.size() - 1));
        // each layer comes after the layers it reads: the file reads like the network
        Map<String, List<String>> inputs = net.getConfiguration().getVertexInputs();
        for (int i = 0; i < layers.size(); i++) {
            for (String in : inputs.get(layers.get(i))) {
                assertTrue(in.equals("input") || layers.indexOf(in) < i, layers.get(i) + " before its input " + in);
            }
        }
        Map<String, String> kinds = rows.stream()
                .collect(Collectors.toMap(LayerActivationStats::layer, LayerActivationStats::kind));
        assertEquals("conv", kinds.get("s1b1_1_conv"));
        assertEquals("batchnorm+relu", kinds.get("s1b1_1_bn"), "BN fused with its ReLU");
        assertEquals("batchnorm", kinds.get("s1b1_2_bn"));
        assertEquals("add+relu", kinds.get("s1b1_relu"), "residual addition fused with its ReLU");
        assertEquals("zero-pad-shortcut", kinds.get("s2b1_shortcut"));
        assertEquals("global-avg-pool", kinds.get("pool"));
        assertEquals("output", kinds.get("fc"));
        assertEquals("4x8x8x16", rows.get(0).shape(), "NHWC, batch first");
        LayerActivationStats bnRelu = rows.get(layers.indexOf("s1b1_1_bn"));
        assertTrue(bnRelu.min() >= 0 && bnRelu.zeroFraction() > 0.2 && bnRelu.zeroFraction() < 0.8, bnRelu.toString());
    }

    @Test
    void aConvolutionThatTookOverItsReluSaysSo() {
        ComputationGraph net = resnet8(NoNorm.DEFAULT, KernelPath.ONEDNN);

        List<LayerActivationStats> rows = ActivationStatistics.of(net, net.feedForward(images(2), true));
        Map<String, String> kinds = rows.stream()
                .collect(Collectors.toMap(LayerActivationStats::layer, LayerActivationStats::kind));

        assertEquals("conv+relu", kinds.get("stem_conv"));
        assertEquals("conv+relu", kinds.get("s1b1_1_conv"));
        assertEquals("conv", kinds.get("s1b1_2_conv"));
        assertFalse(kinds.containsKey("stem_relu"), "the ReLU layer is gone from the graph");
        LayerActivationStats stem = rows.stream().filter(r -> r.layer().equals("stem_conv")).findFirst().orElseThrow();
        assertTrue(stem.min() >= 0 && stem.zeroFraction() > 0.1, stem.toString());
    }

    @Test
    void dl4jLayersAreNamedByWhatTheyCompute() {
        ComputationGraph net = resnet8(NoNorm.DEFAULT, KernelPath.DL4J);

        Map<String, String> kinds = ActivationStatistics.of(net, net.feedForward(images(2), true)).stream()
                .collect(Collectors.toMap(LayerActivationStats::layer, LayerActivationStats::kind));

        assertEquals("relu", kinds.get("stem_relu"));
        assertEquals("add", kinds.get("s1b1_add"));
        assertEquals("relu", kinds.get("s1b1_relu"));
        assertFalse(kinds.containsKey("stem_bn"));
    }

    static ComputationGraph resnet8(Normalizer normalization, KernelPath kernels) {
        ResNetConfig spec = new ResNetConfig(8, 10, 8, normalization, Initialization.HE, Shortcut.A,
                CNN2DFormat.NHWC, kernels);
        return CifarResNet.build(spec, new SgdMomentum(0.05, 0.9), 1e-4, 42);
    }

    static INDArray images(int n) {
        return images(n, n);
    }

    /** Uniform values in [-0.5, 0.5), NHWC; drawn in Java, because ND4J's seeded rand did not repeat itself here. */
    static INDArray images(int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[n * 8 * 8 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() - 0.5f;
        }
        return Nd4j.createFromArray(values).reshape(n, 8, 8, 3);
    }
}
