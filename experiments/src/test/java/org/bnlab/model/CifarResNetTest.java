package org.bnlab.model;

import org.bnlab.norm.NoNorm;
import org.bnlab.train.ParameterCount;
import org.bnlab.testing.Backend;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(Backend.class)
class CifarResNetTest {

    private static ComputationGraph build(ResNetConfig spec) {
        return CifarResNet.build(spec, new SgdMomentum(0.1, 0.9), 1e-4, 42);
    }

    @Test
    void resnet20WithBatchNormAndOptionAHasThePapersParameterCount() {
        ComputationGraph net = build(ResNetConfig.resnet20(10));
        assertEquals(269_722, ParameterCount.trainable(net));
        // 19 BN layers x 2 running statistics x their channels are stored as parameters too, but not trained
        assertEquals(269_722 + 1_376, net.numParams());
    }

    @Test
    void withoutBatchNormOnlyGammaAndBetaDisappear() {
        ComputationGraph net = build(ResNetConfig.resnet20(10).withNormalization(NoNorm.DEFAULT));
        assertEquals(269_722 - 1_376, ParameterCount.trainable(net));
        assertEquals(net.numParams(), ParameterCount.trainable(net));
    }

    @ParameterizedTest
    @CsvSource({"8,1", "20,3", "32,5", "44,7", "56,9", "110,18"})
    void depthIsSixNPlusTwo(int depth, int n) {
        ResNetConfig spec = ResNetConfig.resnet20(10).withDepth(depth);
        assertEquals(n, spec.blocksPerStage());
        ComputationGraph net = build(spec);
        long convs = java.util.Arrays.stream(net.getLayers())
                .filter(l -> l instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer).count();
        assertEquals(depth - 1, convs, "6n+1 convolutions plus the classifier make 6n+2 weighted layers");
    }

    @Test
    void optionBAddsProjectionsAtTheTwoStageChanges() {
        ComputationGraph net = build(ResNetConfig.resnet20(10).withShortcut(Shortcut.B));
        // 16->32 and 32->64 1x1 convolutions plus their BN gamma and beta
        assertEquals(269_722 + 16 * 32 + 32 * 64 + 2 * (32 + 64), ParameterCount.trainable(net));
    }

    @Test
    void depthNotOfTheFormSixNPlusTwoIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResNetConfig.resnet20(10).withDepth(21));
        assertTrue(e.getMessage().contains("6n+2"), e.getMessage());
    }

    @Test
    void shapesFollowTheThreeStagesInBothLayouts() {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            ComputationGraph net = build(ResNetConfig.resnet20(10).withFormat(format));
            INDArray x = format == CNN2DFormat.NCHW ? Nd4j.rand(2, 3, 32, 32) : Nd4j.rand(2, 32, 32, 3);
            var acts = net.feedForward(x, false);
            assertArrayEquals(shape(format, 2, 16, 32, 32), acts.get("s1b3_relu").shape(), format.toString());
            assertArrayEquals(shape(format, 2, 32, 16, 16), acts.get("s2b1_shortcut").shape(), format.toString());
            assertArrayEquals(shape(format, 2, 64, 8, 8), acts.get("s3b3_relu").shape(), format.toString());
            assertArrayEquals(new long[]{2, 64}, acts.get("pool").shape());
            INDArray out = acts.get(CifarResNet.CLASSIFIER);
            assertArrayEquals(new long[]{2, 10}, out.shape());
            assertEquals(2.0, out.sumNumber().doubleValue(), 1e-4, "softmax rows sum to one");
        }
    }

    @Test
    void zeroResidualInitStartsEveryBranchAtZero() {
        ComputationGraph noBn = build(ResNetConfig.resnet20(10).withNormalization(NoNorm.DEFAULT)
                .withInit(Initialization.ZERO_RESIDUAL));
        assertEquals(0.0, noBn.getParam("s2b2_2_conv_W").amaxNumber().doubleValue());
        assertTrue(noBn.getParam("s2b2_1_conv_W").amaxNumber().doubleValue() > 0);
        assertEquals(0.0, noBn.getParam("fc_W").amaxNumber().doubleValue());
        // the whole network starts as a zero classifier: uniform predictions
        INDArray out = noBn.outputSingle(Nd4j.rand(3, 3, 32, 32));
        assertEquals(0.1, out.getDouble(1, 7), 1e-6);

        ComputationGraph bn = build(ResNetConfig.resnet20(10).withInit(Initialization.ZERO_RESIDUAL));
        assertEquals(0.0, bn.getParam("s3b1_2_bn_gamma").amaxNumber().doubleValue());
        assertEquals(1.0, bn.getParam("s3b1_1_bn_gamma").minNumber().doubleValue());
        assertTrue(bn.getParam("s3b1_2_conv_W").amaxNumber().doubleValue() > 0);
    }

    @Test
    void heInitHasTheRightSpread() {
        ComputationGraph net = build(ResNetConfig.resnet20(10));
        INDArray w = net.getParam("s3b2_1_conv_W"); // fan_in = 64 * 3 * 3
        double expected = Math.sqrt(2.0 / (64 * 9));
        assertEquals(expected, w.stdNumber().doubleValue(), expected * 0.05);
        assertEquals(1.0, net.getParam("s3b2_1_bn_gamma").minNumber().doubleValue());
    }

    private static long[] shape(CNN2DFormat format, long n, long c, long h, long w) {
        return format == CNN2DFormat.NCHW ? new long[]{n, c, h, w} : new long[]{n, h, w, c};
    }
}
