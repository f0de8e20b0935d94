package org.bnlab.kernels;

import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.Initialization;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.model.ResNetConfig;
import org.bnlab.model.Shortcut;
import org.bnlab.testing.Backend;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Whole networks: a small CIFAR ResNet with the kernel layers trains like the plain one. */
@ExtendWith(Backend.class)
class KernelGraphTest {

    private static ResNetConfig spec(Normalizer norm, CNN2DFormat format, Shortcut shortcut) {
        return new ResNetConfig(8, 10, 8, norm, Initialization.HE, shortcut, format,
                org.bnlab.model.KernelPath.DL4J);
    }

    private static ComputationGraphConfiguration plainConf(ResNetConfig spec, double weightDecay) {
        return CifarResNet.configuration(spec, new SgdMomentum(0.05, 0.9), weightDecay, 42);
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static MultiDataSet batch(CNN2DFormat format, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.rand(DataType.FLOAT, n, 3, 8, 8)
                : Nd4j.rand(DataType.FLOAT, n, 8, 8, 3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 7) % 10, 1.0);
        }
        return new MultiDataSet(x, y);
    }

    @ParameterizedTest(name = "{0} {1} {2} fuse={3}")
    @CsvSource({"batchnorm, NHWC, A, true", "batchnorm, NCHW, B, false", "none, NHWC, A, false",
            "none, NHWC, A, true", "batchnorm, NCHW, A, true"})
    void trainsLikeThePlainNetwork(String normName, CNN2DFormat format, Shortcut shortcut, boolean fuse) {
        Normalizer norm = Normalizers.named(normName).orElseThrow();
        ResNetConfig spec = spec(norm, format, shortcut);
        ComputationGraph plain = init(plainConf(spec, 1e-4));
        ComputationGraph fast = init(Kernels.accelerate(plainConf(spec, 1e-4), fuse, Normalizers::onOneDnn));
        assertEquals(plain.numParams(), fast.numParams());
        fast.setParams(plain.params().dup());
        long dnnlLayers = Arrays.stream(fast.getLayers())
                .filter(l -> l instanceof DnnlConvolution || l instanceof DnnlBatchNorm).count();
        assertTrue(dnnlLayers >= 7, "kernel layers in the graph: " + dnnlLayers);
        if (fuse && shortcut == Shortcut.A) {
            // every ReLU went into a BN, a convolution or a residual add
            long reluLayers = Arrays.stream(fast.getLayers())
                    .filter(l -> l instanceof org.deeplearning4j.nn.layers.ActivationLayer).count();
            assertEquals(0, reluLayers, "ReLU activation layers left after fusion");
        }

        for (int step = 0; step < 3; step++) {
            MultiDataSet b = batch(format, 16, 100 + step);
            plain.fit(b);
            fast.fit(b);
            assertEquals(plain.score(), fast.score(), 1e-4 * Math.max(1, Math.abs(plain.score())),
                    "loss at step " + step);
        }
        // parameters after 3 steps, BN running statistics included
        for (Map.Entry<String, INDArray> e : plain.paramTable().entrySet()) {
            Compare.close(e.getValue(), fast.getParam(e.getKey()), 2e-3, e.getKey());
        }
        MultiDataSet test = batch(format, 8, 999);
        Compare.close(plain.outputSingle(false, test.getFeatures(0)), fast.outputSingle(false, test.getFeatures(0)),
                1e-3, "inference output (running statistics)");
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void numericalGradientsAgree(boolean kernels) {
        // float finite differences on a tiny BN ResNet (kernel layers with fused BN+ReLU, or plain), training mode
        ResNetConfig spec = spec(BatchNorm.DEFAULT, CNN2DFormat.NHWC, Shortcut.A);
        ComputationGraph net = init(kernels ? Kernels.accelerate(plainConf(spec, 0.0), true, Normalizers::onOneDnn) : plainConf(spec, 0.0));
        MultiDataSet b = batch(CNN2DFormat.NHWC, 4, 5);
        net.setInputs(b.getFeatures());
        net.setLabels(b.getLabels());
        net.computeGradientAndScore();
        // DL4J's gradients are summed over the minibatch (the updater divides), the score is the mean
        INDArray analytic = net.gradient().gradient().div(4);
        INDArray params = net.params(); // view: writes change the network
        int checked = 0;
        java.util.List<String> mismatches = new java.util.ArrayList<>();
        for (String name : new String[]{"stem_conv_W", "s1b1_1_bn_gamma", "s1b1_2_conv_W", "s2b1_1_bn_beta",
                "s3b1_2_conv_W", "fc_W"}) {
            long offset = offsetOf(net, name);
            long len = net.getParam(name).length();
            for (long k = 0; k < len; k += Math.max(1, len / 4)) {
                long i = offset + k;
                double g = analytic.getDouble(i);
                double p0 = params.getDouble(i), h = 2e-3;
                params.putScalar(i, p0 + h);
                net.computeGradientAndScore();
                double plus = net.score();
                params.putScalar(i, p0 - h);
                net.computeGradientAndScore();
                double minus = net.score();
                params.putScalar(i, p0);
                double numeric = (plus - minus) / (2 * h);
                if (Math.abs(numeric - g) > 2e-3 + 0.05 * Math.abs(numeric)) {
                    mismatches.add(String.format("%s[%d] numeric %.5f analytic %.5f", name, k, numeric, g));
                }
                checked++;
            }
        }
        assertTrue(checked > 15);
        // ReLU kinks with a batch of 4 make a few central differences unreliable; the plain DL4J network (the
        // kernels=false case) shows the same outlier (stem_conv_W[216]: numeric -0.0485, analytic -0.0386)
        assertTrue(mismatches.size() <= 2, checked + " checked, mismatches: " + mismatches);
    }

    private static long offsetOf(ComputationGraph net, String param) {
        long offset = 0;
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            for (Map.Entry<String, INDArray> e : l.paramTable().entrySet()) {
                if ((l.conf().getLayer().getLayerName() + "_" + e.getKey()).equals(param)) {
                    return offset;
                }
                offset += e.getValue().length();
            }
        }
        throw new IllegalArgumentException(param);
    }

    @Test
    void configurationRoundTripsThroughJson() {
        ComputationGraphConfiguration conf = Kernels.accelerate(
                plainConf(spec(BatchNorm.DEFAULT, CNN2DFormat.NHWC, Shortcut.A), 1e-4), true, Normalizers::onOneDnn);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        ComputationGraph net = init(back);
        assertTrue(Arrays.stream(net.getLayers()).anyMatch(l -> l instanceof DnnlBatchNorm));
    }

    @ParameterizedTest
    @CsvSource({"NHWC", "NCHW"})
    void noPrimitiveUsesReferenceCode(CNN2DFormat format) {
        // ResNet-20 shapes (small batch): one training step and one inference pass create every primitive
        ResNetConfig spec = ResNetConfig.resnet20(10).withFormat(format);
        ComputationGraph net = init(Kernels.accelerate(
                CifarResNet.configuration(spec, new SgdMomentum(0.1, 0.9), 1e-4, 1), true, Normalizers::onOneDnn));
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32)
                : Nd4j.rand(DataType.FLOAT, 4, 32, 32, 3);
        net.fit(new MultiDataSet(x, Nd4j.eye(10).getRows(0, 1, 2, 3)));
        net.outputSingle(false, x);
        Map<String, String> impls = Dnnl.implementations();
        String prefix = format.name();
        long n = impls.entrySet().stream().filter(e -> e.getKey().contains(prefix)).count();
        assertTrue(n >= 10, "primitives recorded for " + prefix + ": " + n);
        impls.forEach((k, v) -> assertFalse(Dnnl.isReference(v), k + " uses " + v));
    }
}
