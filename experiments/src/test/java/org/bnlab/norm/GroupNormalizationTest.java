package org.bnlab.norm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.ResNetConfig;
import org.bnlab.testing.Backend;
import org.bnlab.train.ParameterCount;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GroupNorm, LayerNorm and InstanceNorm ({@link GroupNormalization}): outputs and gradients against PyTorch's
 * (fixtures from scripts/fixtures/norm_reference.py) and against finite differences, in both layouts; the two ends
 * of GroupNorm; parameters and serialisation.
 */
@ExtendWith(Backend.class)
class GroupNormalizationTest {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    /** A one-layer network around {@code layer}, in {@code dtype}, for input of {@code shape} (NCHW or [N, F]). */
    private static Layer layer(org.deeplearning4j.nn.conf.layers.Layer layer, long[] shape, CNN2DFormat format,
                               DataType dtype) {
        InputType in = shape.length == 2 ? InputType.feedForward(shape[1])
                : InputType.convolutional(shape[2], shape[3], shape[1], format);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(dtype).seed(1)
                .graphBuilder().addInputs("in").setInputTypes(in).addLayer("norm", layer, "in").setOutputs("norm")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.initGradientsView();
        return net.getLayer("norm");
    }

    private static Normalizer normalizer(String type, int groups) {
        return switch (type) {
            case GroupNorm.TYPE -> new GroupNorm(groups, 1e-5);
            case LayerNorm.TYPE -> LayerNorm.DEFAULT;
            case InstanceNorm.TYPE -> InstanceNorm.DEFAULT;
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static org.deeplearning4j.nn.conf.layers.Layer conf(String type, int groups, double eps, boolean dense,
                                                                CNN2DFormat format) {
        Normalizer n = switch (type) {
            case GroupNorm.TYPE -> new GroupNorm(groups, eps);
            case LayerNorm.TYPE -> new LayerNorm(eps);
            case InstanceNorm.TYPE -> new InstanceNorm(eps);
            default -> throw new IllegalArgumentException(type);
        };
        return dense ? n.afterDense().get(0) : n.afterConvolution(format, false).get(0);
    }

    /** NCHW [N, C, H, W] to {@code format}. */
    private static INDArray to(INDArray nchw, CNN2DFormat format) {
        return format == CNN2DFormat.NHWC && nchw.rank() == 4 ? nchw.permute(0, 2, 3, 1).dup('c') : nchw;
    }

    private static INDArray array(JsonNode values, long[] shape) {
        double[] data = new double[values.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = values.get(i).asDouble();
        }
        return Nd4j.create(data, shape, DataType.DOUBLE);
    }

    private static long[] shape(JsonNode c) {
        long[] s = new long[c.get("shape").size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = c.get("shape").get(i).asLong();
        }
        return s;
    }

    private static JsonNode fixtures() throws Exception {
        try (InputStream in = GroupNormalizationTest.class.getResourceAsStream("/norm/norm_reference.json")) {
            return new ObjectMapper().readTree(in).get("cases");
        }
    }

    private record Result(INDArray y, INDArray dx, INDArray dGamma, INDArray dBeta) {
    }

    private static Result run(Layer layer, INDArray x, INDArray gamma, INDArray beta, INDArray dy) {
        layer.setParam("gamma", gamma.reshape(layer.getParam("gamma").shape()).castTo(layer.getParam("gamma")
                .dataType()));
        layer.setParam("beta", beta.reshape(layer.getParam("beta").shape()).castTo(layer.getParam("beta")
                .dataType()));
        layer.setInput(x.castTo(layer.getParam("gamma").dataType()), NO_WS);
        INDArray y = layer.activate(true, NO_WS).dup();
        Pair<Gradient, INDArray> back = layer.backpropGradient(dy.castTo(y.dataType()), NO_WS);
        return new Result(y, back.getSecond().dup(), back.getFirst().getGradientFor("gamma").dup().reshape(-1),
                back.getFirst().getGradientFor("beta").dup().reshape(-1));
    }

    private static void close(INDArray expected, INDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber()
                .doubleValue();
        assertTrue(diff <= tol, what + ": max |difference| " + diff + " > " + tol);
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void outputsAndGradientsAgreeWithPyTorch(CNN2DFormat format) throws Exception {
        int checked = 0;
        for (JsonNode c : fixtures()) {
            long[] shape = shape(c);
            boolean dense = shape.length == 2;
            if (dense && format == CNN2DFormat.NHWC) {
                continue;
            }
            String what = c.get("name").asText() + " " + format;
            Layer layer = layer(conf(c.get("type").asText(), c.get("groups").asInt(), c.get("epsilon").asDouble(),
                    dense, format), shape, format, DataType.DOUBLE);
            Result r = run(layer, to(array(c.get("x"), shape), format), array(c.get("gamma"), new long[]{shape[1]}),
                    array(c.get("beta"), new long[]{shape[1]}), to(array(c.get("dy"), shape), format));
            close(to(array(c.get("y"), shape), format), r.y(), 1e-10, what + " y");
            close(to(array(c.get("dx"), shape), format), r.dx(), 1e-9, what + " dx");
            close(array(c.get("dgamma"), new long[]{shape[1]}), r.dGamma(), 1e-9, what + " dgamma");
            close(array(c.get("dbeta"), new long[]{shape[1]}), r.dBeta(), 1e-9, what + " dbeta");
            checked++;
        }
        assertEquals(format == CNN2DFormat.NCHW ? 6 : 4, checked);
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void gradientsAgreeWithFiniteDifferences(CNN2DFormat format) {
        Nd4j.getRandom().setSeed(7);
        long[] nchw = {2, 6, 3, 2};
        for (org.deeplearning4j.nn.conf.layers.Layer conf : List.of(conf(GroupNorm.TYPE, 3, 1e-5, false, format),
                conf(GroupNorm.TYPE, 32, 1e-5, false, format), conf(LayerNorm.TYPE, 1, 1e-3, false, format))) {
            INDArray x = to(Nd4j.randn(DataType.DOUBLE, nchw).muli(1.5).addi(0.3), format);
            INDArray dy = to(Nd4j.randn(DataType.DOUBLE, nchw), format);
            INDArray gamma = Nd4j.rand(DataType.DOUBLE, 6).addi(0.5);
            INDArray beta = Nd4j.randn(DataType.DOUBLE, 6);
            Layer layer = layer(conf, nchw, format, DataType.DOUBLE);
            Result r = run(layer, x, gamma, beta, dy);
            close(numeric(layer, x, gamma, beta, dy, 0), r.dx(), 1e-7, format + " dx");
            close(numeric(layer, x, gamma, beta, dy, 1), r.dGamma(), 1e-7, format + " dgamma");
            close(numeric(layer, x, gamma, beta, dy, 2), r.dBeta(), 1e-7, format + " dbeta");
        }
    }

    /** Central differences of sum(y * dy) with respect to x (0), gamma (1) or beta (2). */
    private static INDArray numeric(Layer layer, INDArray x, INDArray gamma, INDArray beta, INDArray dy, int which) {
        INDArray[] args = {x.dup(), gamma.dup(), beta.dup()};
        INDArray target = args[which];
        INDArray out = Nd4j.create(DataType.DOUBLE, target.shape());
        double h = 1e-5;
        for (long i = 0; i < target.length(); i++) {
            double v = target.getDouble(i);
            target.putScalar(i, v + h);
            double plus = run(layer, args[0], args[1], args[2], dy).y().mul(dy).sumNumber().doubleValue();
            target.putScalar(i, v - h);
            double minus = run(layer, args[0], args[1], args[2], dy).y().mul(dy).sumNumber().doubleValue();
            target.putScalar(i, v);
            out.putScalar(i, (plus - minus) / (2 * h));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void groupNormWithOneGroupPerChannelIsInstanceNormAndWithOneGroupIsLayerNorm(CNN2DFormat format) {
        Nd4j.getRandom().setSeed(11);
        long[] nchw = {3, 8, 4, 4};
        INDArray x = to(Nd4j.randn(DataType.FLOAT, nchw).muli(3), format);
        INDArray dy = to(Nd4j.randn(DataType.FLOAT, nchw), format);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, 8);
        INDArray beta = Nd4j.randn(DataType.FLOAT, 8);
        Result gnC = run(layer(conf(GroupNorm.TYPE, 8, 1e-5, false, format), nchw, format, DataType.FLOAT), x, gamma,
                beta, dy);
        Result in = run(layer(conf(InstanceNorm.TYPE, 0, 1e-5, false, format), nchw, format, DataType.FLOAT), x,
                gamma, beta, dy);
        Result gn1 = run(layer(conf(GroupNorm.TYPE, 1, 1e-5, false, format), nchw, format, DataType.FLOAT), x, gamma,
                beta, dy);
        Result ln = run(layer(conf(LayerNorm.TYPE, 0, 1e-5, false, format), nchw, format, DataType.FLOAT), x, gamma,
                beta, dy);
        for (Result[] pair : List.of(new Result[]{gnC, in}, new Result[]{gn1, ln})) {
            close(pair[0].y(), pair[1].y(), 1e-5, "y");
            close(pair[0].dx(), pair[1].dx(), 1e-5, "dx");
            close(pair[0].dGamma(), pair[1].dGamma(), 1e-4, "dgamma");
        }
        // and the two ends differ from each other and from GroupNorm in between
        Result gn2 = run(layer(conf(GroupNorm.TYPE, 2, 1e-5, false, format), nchw, format, DataType.FLOAT), x, gamma,
                beta, dy);
        assertTrue(gn2.y().sub(in.y()).amaxNumber().doubleValue() > 1e-2);
        assertTrue(gn2.y().sub(ln.y()).amaxNumber().doubleValue() > 1e-2);
    }

    @Test
    void groupsAreMinOfGroupsAndChannelsAndMustDivideTheChannels() {
        assertEquals(16, GroupNormalization.effectiveGroups(32, 16, "groupnorm"));
        assertEquals(32, GroupNormalization.effectiveGroups(32, 64, "groupnorm"));
        assertEquals(64, GroupNormalization.effectiveGroups(0, 64, "instancenorm"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupNormalization.effectiveGroups(32, 48, "groupnorm"));
        assertEquals("groupnorm: 32 groups do not divide 48 channels (a layer uses min(groups, channels) groups, "
                + "which must divide its channels)", e.getMessage());
    }

    @Test
    void resNet20HasBatchNormsParameterCountWithEachAndNoRunningStatistics() {
        for (Normalizer n : List.of(GroupNorm.DEFAULT, LayerNorm.DEFAULT, InstanceNorm.DEFAULT)) {
            for (CNN2DFormat format : CNN2DFormat.values()) {
                ComputationGraph net = CifarResNet.build(ResNetConfig.resnet20(10).withNormalization(n)
                        .withFormat(format), new SgdMomentum(0.1, 0.9), 1e-4, 42);
                assertEquals(269_722, ParameterCount.trainable(net), n.type());
                assertEquals(269_722, net.numParams(), n.type() + ": no running statistics stored");
                long norms = net.getConfiguration().getVertices().values().stream()
                        .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                                && n.owns(lv.getLayerConf().getLayer())).count();
                assertEquals(19, norms, n.type());
                INDArray out = net.outputSingle(Nd4j.rand(DataType.FLOAT, format == CNN2DFormat.NCHW
                        ? new long[]{2, 3, 32, 32} : new long[]{2, 32, 32, 3}));
                assertFalse(out.isNaN().any() || out.isInfinite().any());
            }
        }
    }

    @Test
    void theTypesOwnTheirLayersOnlyAndKeepNoRunningStatistics() {
        Normalizer[] types = {GroupNorm.DEFAULT, LayerNorm.DEFAULT, InstanceNorm.DEFAULT};
        for (Normalizer n : types) {
            org.deeplearning4j.nn.conf.layers.Layer l = n.afterConvolution(CNN2DFormat.NHWC, true).get(0);
            assertEquals(Optional.of(n), Normalizers.owning(l));
            assertEquals(Optional.empty(), Normalizers.statisticsOf(l));
            assertEquals(0.0, ((GroupNormalization) l).getGammaInit(), "zero-residual starts gamma at 0");
            assertTrue(n.hasAffine());
            assertFalse(n.hasRunningStatistics());
            assertEquals(java.util.Set.of("gamma", "beta"), n.affineParameters());
            assertEquals(l, n.onOneDnn(l), "the same layer on the oneDNN path");
            GroupNormalization decayed = (GroupNormalization) n.withAffineDecay(l.clone(), 1e-4);
            assertEquals(1, decayed.getRegularizationByParam("gamma").size());
            assertEquals(null, ((GroupNormalization) l).getRegularizationByParam("gamma"), "no decay by default");
        }
        assertFalse(BatchNorm.DEFAULT.owns(GroupNorm.DEFAULT.afterDense().get(0)));
        assertFalse(GroupNorm.DEFAULT.owns(LayerNorm.DEFAULT.afterDense().get(0)));
    }

    @Test
    void gammaAndBetaAreTheNormalizationGroupWithoutWeightDecayByDefault() {
        ComputationGraphConfiguration conf = CifarResNet.configuration(ResNetConfig.resnet20(10).withDepth(8)
                .withNormalization(LayerNorm.DEFAULT), new SgdMomentum(0.1, 0.9), 1e-4, 42);
        GroupNormalization ln = (GroupNormalization) ((org.deeplearning4j.nn.conf.graph.LayerVertex) conf
                .getVertices().get("stem_bn")).getLayerConf().getLayer();
        assertEquals(null, ln.getRegularizationByParam("gamma"), "the network's L2 does not reach gamma");
        assertEquals(null, ln.getRegularizationByParam("beta"));
        org.bnlab.train.ParameterGroups.apply(conf, new org.bnlab.train.ParameterGroups.Group(true,
                new SgdMomentum(0.5, 0.9), 1e-3), org.bnlab.train.ParameterGroups.Group.UNCHANGED);
        ln = (GroupNormalization) ((org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices().get("stem_bn"))
                .getLayerConf().getLayer();
        assertEquals(List.of(new org.nd4j.linalg.learning.regularization.L2Regularization(1e-3)),
                ln.getRegularizationByParam("gamma"));
        assertEquals(0.5, ln.getUpdaterByParam("beta").getLearningRate(0, 0));
    }

    @Test
    void instanceNormAfterADenseLayerIsRefusedWithOneLine() {
        Normalizer.InvalidParameter e = assertThrows(Normalizer.InvalidParameter.class,
                () -> InstanceNorm.DEFAULT.afterDense());
        assertEquals("type", e.parameter());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void theConfigurationSurvivesJsonAndACheckpoint() throws Exception {
        ComputationGraph net = CifarResNet.build(ResNetConfig.resnet20(10).withDepth(8)
                .withNormalization(new GroupNorm(8, 1e-4)), new SgdMomentum(0.1, 0.9), 1e-4, 42);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
        assertEquals(net.getConfiguration(), back);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(
                bytes.toByteArray()), true);
        assertEquals(net.params(), restored.params());
        List<GroupNormalization> layers = new ArrayList<>();
        restored.getConfiguration().getVertices().values().forEach(v -> {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof GroupNormalization g) {
                layers.add(g);
            }
        });
        assertEquals(7, layers.size());
        assertEquals(8, layers.get(0).getGroups());
        assertEquals(1e-4, layers.get(0).getEpsilon());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        assertEquals(net.outputSingle(x), restored.outputSingle(x));
    }
}
