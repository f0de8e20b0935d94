package org.bnlab.model;

import org.bnlab.data.Layout;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.norm.Normalizer;
import org.bnlab.testing.Backend;
import org.bnlab.train.ParameterCount;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** {@code model.shortcut: none}: He et al.'s plain network, the ResNet of its depth without the shortcuts. */
@ExtendWith(Backend.class)
class PlainNetworkTest {

    private record Settings(int depth, Shortcut shortcut, Normalizer normalization, Initialization init,
                            List<Integer> hidden) implements NetworkSettings {
    }

    private static ResNetConfig plain20() {
        return ResNetConfig.resnet20(10).withShortcut(Shortcut.NONE);
    }

    private static ComputationGraph build(ResNetConfig spec) {
        return CifarResNet.build(spec, new SgdMomentum(0.1, 0.9), 1e-4, 42);
    }

    @Test
    void plain20HasOptionAResNet20sParameterCount() {
        // option A's shortcuts have no parameters, so removing them leaves the count as it is
        assertEquals(269_722, ParameterCount.trainable(build(plain20())));
        assertEquals(268_346, ParameterCount.trainable(build(plain20().withNormalization(NoNorm.DEFAULT))));
        assertEquals(ParameterCount.trainable(build(ResNetConfig.resnet20(10))),
                ParameterCount.trainable(build(plain20())));
    }

    @Test
    void theNameSaysPlainAndZeroResidualIsRefused() {
        assertEquals("plain20", plain20().modelName());
        assertEquals("resnet20", ResNetConfig.resnet20(10).modelName());
        assertEquals(Shortcut.NONE, Shortcut.parse("none"));
        NetworkFactory resnet = Architecture.RESNET.factory();
        NetworkFactory.InvalidSetting e = assertThrows(NetworkFactory.InvalidSetting.class,
                () -> resnet.check(20, Shortcut.NONE, Initialization.ZERO_RESIDUAL, List.of(), 20, Shortcut.A));
        assertEquals("init", e.setting());
        assertTrue(e.getMessage().contains("zero-residual") && e.getMessage().contains("shortcut"), e.getMessage());
        resnet.check(56, Shortcut.NONE, Initialization.HE, List.of(), 20, Shortcut.A);
        resnet.check(56, Shortcut.A, Initialization.ZERO_RESIDUAL, List.of(), 20, Shortcut.A);
    }

    /**
     * With every block's convolutions at zero only the stem's features could reach the classifier, and in a plain
     * network nothing carries them past the first block: the output is the same for every image. The ResNet's
     * identity shortcuts carry them.
     */
    @ParameterizedTest
    @CsvSource({"batchnorm", "none"})
    void withTheBlocksConvolutionsAtZeroOnlyTheResNetStillSeesTheImage(String norm) {
        Normalizer normalizer = norm.equals("none") ? NoNorm.DEFAULT : BatchNorm.DEFAULT;
        ComputationGraph plain = zeroBlockConvolutions(build(plain20().withNormalization(normalizer)));
        ComputationGraph resnet = zeroBlockConvolutions(build(ResNetConfig.resnet20(10).withNormalization(normalizer)));
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32);
        INDArray plainOut = plain.outputSingle(false, x);
        for (int i = 1; i < 4; i++) {
            assertEquals(0.0, plainOut.getRow(i).sub(plainOut.getRow(0)).amaxNumber().doubleValue(), 1e-6,
                    "plain output of image " + i);
        }
        INDArray resnetOut = resnet.outputSingle(false, x);
        assertTrue(resnetOut.getRow(1).sub(resnetOut.getRow(0)).amaxNumber().doubleValue() > 1e-4,
                "the ResNet's output depends on the image: " + resnetOut);
    }

    private static ComputationGraph zeroBlockConvolutions(ComputationGraph net) {
        int zeroed = 0;
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer && !name.startsWith("stem")) {
                layer.getParam("W").assign(0);
                zeroed++;
            }
        }
        assertEquals(18, zeroed);
        return net;
    }

    @ParameterizedTest
    @CsvSource({"A, '_add,_shortcut'", "B, '_add,_proj,_proj_bn'"})
    void plainAndResidualGraphsHaveTheSameLayersApartFromTheShortcuts(Shortcut shortcut, String extra) {
        ComputationGraphConfiguration plain = configuration(plain20());
        ComputationGraphConfiguration residual = configuration(ResNetConfig.resnet20(10).withShortcut(shortcut));
        Set<String> expected = new TreeSet<>(residual.getVertices().keySet());
        List<String> suffixes = List.of(extra.split(","));
        expected.removeIf(name -> suffixes.stream().anyMatch(name::endsWith));
        assertEquals(expected, new TreeSet<>(plain.getVertices().keySet()));
        assertFalse(plain.getVertices().values().stream().anyMatch(v -> v instanceof ElementWiseVertex
                || v instanceof ZeroPadShortcutVertex), "no addition, no shortcut");
        for (String name : plain.getVertices().keySet()) {
            GraphVertex p = plain.getVertices().get(name);
            GraphVertex r = residual.getVertices().get(name);
            assertEquals(r.getClass(), p.getClass(), name);
            if (p instanceof LayerVertex pl && pl.getLayerConf().getLayer() instanceof ConvolutionLayer pc) {
                ConvolutionLayer rc = (ConvolutionLayer) ((LayerVertex) r).getLayerConf().getLayer();
                assertArrayEquals(rc.getStride(), pc.getStride(), name + ": the stride-2 convolutions stay");
                assertEquals(rc.getNOut(), pc.getNOut(), name);
            }
        }
        // where the ResNet adds, the plain block's last ReLU reads the second unit directly
        assertEquals(List.of("s2b1_2_bn"), plain.getVertexInputs().get("s2b1_relu"));
        assertEquals(List.of("s2b1_add"), residual.getVertexInputs().get("s2b1_relu"));
    }

    private static ComputationGraphConfiguration configuration(ResNetConfig spec) {
        return CifarResNet.configuration(spec, new SgdMomentum(0.1, 0.9), 1e-4, 42);
    }

    /** Both kernel paths and both layouts build the same plain network: the same outputs to float tolerance. */
    @ParameterizedTest
    @CsvSource({"batchnorm", "none"})
    void bothKernelPathsAndLayoutsComputeTheSamePlainNetwork(String norm) {
        Normalizer normalizer = norm.equals("none") ? NoNorm.DEFAULT : BatchNorm.DEFAULT;
        NetworkSettings settings = new Settings(8, Shortcut.NONE, normalizer, Initialization.HE, List.of());
        Nd4j.getRandom().setSeed(11);
        INDArray nchw = Nd4j.rand(DataType.FLOAT, 5, 3, 8, 8);
        INDArray reference = null;
        ComputationGraph first = null;
        for (KernelPath kernels : KernelPath.values()) {
            for (Layout layout : Layout.values()) {
                NetworkInput input = new NetworkInput(8, 3, 10, layout, kernels);
                assertEquals("plain8", Architecture.RESNET.factory().modelName(settings, input));
                ComputationGraph net = new ComputationGraph(Architecture.RESNET.factory()
                        .configuration(settings, input, new SgdMomentum(0.1, 0.9), 1e-4, 42));
                net.init();
                if (first == null) {
                    first = net;
                } else {
                    for (org.deeplearning4j.nn.api.Layer layer : first.getLayers()) {
                        if (layer.numParams() > 0) {
                            net.getLayer(layer.conf().getLayer().getLayerName()).setParams(layer.params().dup());
                        }
                    }
                }
                INDArray x = layout == Layout.NCHW ? nchw : nchw.permute(0, 2, 3, 1).dup();
                // training mode: BN normalises with the batch's statistics, so the whole path is exercised
                INDArray out = net.outputSingle(true, x);
                String what = kernels + " " + layout;
                assertFalse(net.getConfiguration().getVertices().values().stream()
                        .anyMatch(v -> v instanceof ElementWiseVertex), what);
                if (reference == null) {
                    reference = out;
                } else {
                    assertEquals(0.0, out.sub(reference).amaxNumber().doubleValue(), 1e-4, what);
                }
            }
        }
    }
}
