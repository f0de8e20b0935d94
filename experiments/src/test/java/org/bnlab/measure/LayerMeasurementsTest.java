package org.bnlab.measure;

import org.bnlab.kernels.Kernels;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.bnlab.model.ResNetConfig;
import org.bnlab.model.Shortcut;
import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;
import org.bnlab.norm.RunningStatistics;
import org.bnlab.results.ProbeRow;
import org.bnlab.results.RunFolder;
import org.bnlab.testing.Backend;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The layer responses (He et al. 2016, Fig. 7) against a direct computation, the gradient norms at initialisation
 * against finite differences, both measurements leaving training as it is, and their report parts' plots.
 */
@ExtendWith(Backend.class)
class LayerMeasurementsTest {

    private static ComputationGraphConfiguration conf(Normalizer norm) {
        ResNetConfig spec = new ResNetConfig(8, 10, 8, norm, Initialization.HE, Shortcut.A, CNN2DFormat.NCHW,
                KernelPath.DL4J);
        return CifarResNet.configuration(spec, new SgdMomentum(0.05, 0.9), 1e-4, 42);
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static ComputationGraph trained(ComputationGraphConfiguration conf) {
        ComputationGraph net = init(conf);
        for (int step = 0; step < 3; step++) { // away from the initial running statistics
            net.fit(ProbeSnapshotTest.batch(CNN2DFormat.NCHW, 16, 10 + step));
        }
        return net;
    }

    @Test
    void layerResponsesAreTheStdOfEachThreeByThreeBnOutput() {
        ComputationGraph net = trained(conf(Normalizers.named("batchnorm").orElseThrow()));
        DataSet sample = ProbeSnapshotTest.batch(CNN2DFormat.NCHW, 70, 5); // two batches: 64 + 6, pooled
        List<LayerResponsesMeasurement.Row> rows = LayerResponsesMeasurement.measure(net, sample, 2, 3, "final");
        // ResNet-8: the stem and 2 convolutions in each of 3 blocks, all 3x3 (option A has no 1x1 projection)
        assertEquals(7, rows.size());
        Map<String, INDArray> acts = net.feedForward(sample.getFeatures(), false);
        for (int i = 0; i < rows.size(); i++) {
            LayerResponsesMeasurement.Row r = rows.get(i);
            assertEquals(i + 1, r.index());
            String bn = r.response();
            assertNotEquals(r.layer(), bn, "a BN reads each convolution");
            RunningStatistics s = Normalizers.statisticsOf(((LayerVertex) net.getConfiguration().getVertices()
                    .get(bn)).getLayerConf().getLayer()).orElseThrow();
            INDArray x = acts.get(r.layer()).castTo(DataType.DOUBLE); // [N, C, H, W], read by the BN alone
            INDArray mean = net.getLayer(bn).getParam(s.meanKey()).castTo(DataType.DOUBLE).reshape(-1);
            INDArray variance = net.getLayer(bn).getParam(s.varianceKey()).castTo(DataType.DOUBLE).reshape(-1);
            if (s.log10Std()) { // DL4J's convention: the parameter is log10 of the std
                variance = Transforms.exp(variance.mul(2 * Math.log(10)));
            }
            long c = mean.length();
            INDArray gamma = net.getLayer(bn).getParam(s.gammaKey()).castTo(DataType.DOUBLE).reshape(1, c, 1, 1);
            INDArray beta = net.getLayer(bn).getParam(s.betaKey()).castTo(DataType.DOUBLE).reshape(1, c, 1, 1);
            INDArray scale = gamma.div(Transforms.sqrt(variance.add(s.epsilon())).reshape(1, c, 1, 1));
            INDArray y = x.sub(mean.reshape(1, c, 1, 1)).mul(scale).add(beta);
            double m = y.meanNumber().doubleValue();
            double std = Math.sqrt(y.sub(m).muli(y.sub(m)).meanNumber().doubleValue());
            assertEquals(m, r.mean(), 1e-4 * Math.max(1, Math.abs(m)), r.layer() + " mean");
            assertEquals(std, r.std(), 1e-4 * std, r.layer() + " std");
        }
    }

    @Test
    void layerResponsesWithoutBnAreTheConvolutionsOutputs() {
        ComputationGraph net = trained(conf(Normalizers.named("none").orElseThrow()));
        List<LayerResponsesMeasurement.Row> rows = LayerResponsesMeasurement.measure(net,
                ProbeSnapshotTest.batch(CNN2DFormat.NCHW, 8, 5), 1, 0, "init");
        assertEquals(7, rows.size());
        rows.forEach(r -> assertEquals(r.layer(), r.response()));
        rows.forEach(r -> assertTrue(r.std() > 0));
    }

    /**
     * in -> c0 -> bn0 -> r0 -> c1 -> bn1 -> r1 -> c2 -> bn2 -> (+ r0) -> r2 -> pool -> out, double precision, DL4J's
     * own layers; {@code inputs} the vertices that are inputs of the graph instead (a tail of the full one, whose
     * loss is the full graph's as a function of those activations).
     */
    private static ComputationGraph tiny(List<String> inputs) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(7).updater(new NoOp()).weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same);
        ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder();
        List<String> order = List.of("c0", "bn0", "r0", "c1", "bn1", "r1", "c2", "bn2", "add", "r2", "pool", "out");
        String first = inputs.get(inputs.size() - 1);
        boolean on = inputs.equals(List.of("in"));
        g.addInputs(inputs.toArray(String[]::new));
        for (String v : order) {
            if (!on) {
                on = v.equals(first);
                continue;
            }
            switch (v) {
                case "c0" -> g.addLayer(v, conv(2), "in");
                case "c1" -> g.addLayer(v, conv(3), "r0");
                case "c2" -> g.addLayer(v, conv(3), "r1");
                case "bn0", "bn1", "bn2" -> g.addLayer(v, new BatchNormalization.Builder().nOut(3).build(),
                        "c" + v.charAt(2));
                case "r0", "r1" -> g.addLayer(v, new ActivationLayer(Activation.RELU), "bn" + v.charAt(1));
                case "add" -> g.addVertex(v, new ElementWiseVertex(ElementWiseVertex.Op.Add), "bn2", "r0");
                case "r2" -> g.addLayer(v, new ActivationLayer(Activation.RELU), "add");
                case "pool" -> g.addLayer(v, new GlobalPoolingLayer(PoolingType.AVG), "r2");
                case "out" -> g.addLayer(v, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool");
                default -> throw new AssertionError(v);
            }
        }
        g.setOutputs("out");
        InputType image = InputType.convolutional(2, 2, 2);
        InputType act = InputType.convolutional(2, 2, 3);
        if (inputs.equals(List.of("in"))) {
            g.setInputTypes(image);
        } else if (inputs.equals(List.of("pool"))) {
            g.setInputTypes(InputType.feedForward(3));
        } else {
            g.setInputTypes(inputs.stream().map(i -> act).toArray(InputType[]::new));
        }
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static ConvolutionLayer conv(int in) {
        return new ConvolutionLayer.Builder(3, 3).nIn(in).nOut(3).activation(Activation.IDENTITY).build();
    }

    /** The L2 norm of the gradient of {@code net}'s mean loss (training mode) w.r.t. input {@code k}, centrally. */
    private static double finiteDifferenceNorm(ComputationGraph net, INDArray[] inputs, int k, INDArray labels) {
        INDArray x = inputs[k];
        double h = 1e-6;
        double squares = 0;
        for (long i = 0; i < x.length(); i++) {
            double v = x.getDouble(i);
            x.putScalar(i, v + h);
            double up = net.score(new org.nd4j.linalg.dataset.MultiDataSet(inputs, new INDArray[]{labels}), true);
            x.putScalar(i, v - h);
            double down = net.score(new org.nd4j.linalg.dataset.MultiDataSet(inputs, new INDArray[]{labels}), true);
            x.putScalar(i, v);
            double d = (up - down) / (2 * h);
            squares += d * d;
        }
        return Math.sqrt(squares);
    }

    @Test
    void inputGradientNormsAgreeWithFiniteDifferences() {
        ComputationGraph full = tiny(List.of("in"));
        Nd4j.getRandom().setSeed(3);
        INDArray features = Nd4j.randn(DataType.DOUBLE, 2, 2, 2, 2);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        for (int i = 0; i < 2; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        List<InitGradientsMeasurement.Row> rows = InitGradientsMeasurement.measure(full,
                new DataSet(features, labels), 1, 0);
        assertEquals(List.of("c0", "c1", "c2", "out"), rows.stream().map(InitGradientsMeasurement.Row::layer).toList());
        assertEquals(List.of("in", "r0", "r1", "pool"), rows.stream().map(InitGradientsMeasurement.Row::input)
                .toList());
        Map<String, INDArray> acts = full.feedForward(new INDArray[]{features.dup()}, true, false);
        // c0 reads the network input; c1 reads r0, which also feeds the addition (the total gradient counts both)
        Map<String, List<String>> tails = Map.of("c0", List.of("in"), "c1", List.of("r0"), "c2", List.of("r0", "r1"),
                "out", List.of("pool"));
        for (InitGradientsMeasurement.Row row : rows) {
            List<String> in = tails.get(row.layer());
            ComputationGraph tail = in.equals(List.of("in")) ? full : tiny(in);
            full.paramTable().forEach((key, value) -> {
                if (tail.paramTable().containsKey(key)) {
                    tail.getParam(key).assign(value);
                }
            });
            INDArray[] inputs = in.stream().map(v -> v.equals("in") ? features.dup() : acts.get(v).dup())
                    .toArray(INDArray[]::new);
            double expected = finiteDifferenceNorm(tail, inputs, inputs.length - 1, labels);
            assertEquals(expected, row.inputGradNorm(), 1e-5 * expected, row.layer() + " input gradient");
            assertTrue(expected > 0);
        }
    }

    @Test
    void weightGradientNormsAreTheProbes() {
        ComputationGraph net = trained(conf(Normalizers.named("batchnorm").orElseThrow()));
        DataSet batch = ProbeSnapshotTest.batch(CNN2DFormat.NCHW, 12, 4);
        List<InitGradientsMeasurement.Row> rows = InitGradientsMeasurement.measure(net, batch, 1, 0);
        List<ProbeRow> probe = ProbeSnapshot.take(net, batch, 1, 0);
        assertEquals(probe.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(probe.get(i).layer(), rows.get(i).layer());
            assertEquals(probe.get(i).gradientNorm(), rows.get(i).weightGradNorm(), 1e-9);
        }
    }

    @Test
    void measuringLeavesTrainingAsItIs() {
        for (boolean fused : new boolean[]{false, true}) {
            ComputationGraphConfiguration plain = conf(Normalizers.named("batchnorm").orElseThrow());
            ComputationGraphConfiguration c = fused ? Kernels.accelerate(plain, true, Normalizers::onOneDnn) : plain;
            ComputationGraph measured = init(c.clone());
            ComputationGraph untouched = init(c.clone());
            var modes = List.of(measured.getConfiguration().getTrainingWorkspaceMode(),
                    measured.getConfiguration().getInferenceWorkspaceMode());
            DataSet sample = ProbeSnapshotTest.batch(CNN2DFormat.NCHW, 10, 77);
            for (int step = 0; step < 3; step++) {
                InitGradientsMeasurement.measure(measured, sample, 1, step);
                LayerResponsesMeasurement.measure(measured, sample, 1, step, "init");
                DataSet batch = ProbeSnapshotTest.batch(CNN2DFormat.NCHW, 16, 20 + step);
                measured.fit(batch);
                untouched.fit(batch);
            }
            assertEquals(modes, List.of(measured.getConfiguration().getTrainingWorkspaceMode(),
                    measured.getConfiguration().getInferenceWorkspaceMode()));
            assertEquals(untouched.params(), measured.params(), "fused " + fused);
            assertEquals(untouched.getUpdater().getStateViewArray(), measured.getUpdater().getStateViewArray());
        }
    }

    @Test
    void reportPartsDrawTheirPlots(@TempDir Path tmp) throws Exception {
        List<MeasuredRun> runs = new java.util.ArrayList<>();
        for (int run = 0; run < 4; run++) {
            RunFolder folder = RunFolder.at(Files.createDirectories(tmp.resolve("run" + run)));
            String arm = run < 2 ? "plain" : "resnet";
            double scale = run < 2 ? 2.0 : 1.0;
            int seed = run;
            List<LayerResponsesMeasurement.Row> responses = new java.util.ArrayList<>();
            List<InitGradientsMeasurement.Row> gradients = new java.util.ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                responses.add(new LayerResponsesMeasurement.Row(1, 0, "init", i, "c" + i, "bn" + i, 0, 1 + run));
                gradients.add(new InitGradientsMeasurement.Row(1, 0, i, "c" + i, "conv", "r" + i,
                        Math.pow(scale, 7 - i), Math.pow(scale, 7 - i) * (1 + 0.1 * run)));
            }
            LayerResponsesMeasurement.RECORDS.writeEpoch(folder, 1, responses);
            InitGradientsMeasurement.RECORDS.writeEpoch(folder, 1, gradients);
            List<LayerResponsesMeasurement.Row> last = responses.stream().map(r -> new LayerResponsesMeasurement.Row(
                    2, 10, "final", r.index(), r.layer(), r.response(), 0, scale / r.index() + 0.01 * seed)).toList();
            LayerResponsesMeasurement.RECORDS.writeEpoch(folder, 2, last);
            assertEquals(12, LayerResponsesMeasurement.RECORDS.read(folder).size());
            runs.add(new MeasuredRun("run" + run, arm, folder, null));
        }
        Path report = tmp.resolve("report");
        assertEquals(List.of("plots/layer-responses.png"),
                new LayerResponsesMeasurement().report("x", runs).writeTo(report));
        MeasurementReport gradients = new InitGradientsMeasurement().report("x", runs);
        assertEquals(List.of("plots/gradient-norms.png"), gradients.writeTo(report));
        for (String png : List.of("plots/layer-responses.png", "plots/gradient-norms.png")) {
            BufferedImage image = ImageIO.read(report.resolve(png).toFile());
            assertNotNull(image, png);
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < image.getHeight(); y += 2) {
                for (int x = 0; x < image.getWidth(); x += 2) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 20, png + ": only " + colours.size() + " colours");
        }
        List<String> summary = Files.readAllLines(report.resolve(LayerResponsesMeasurement.SUMMARY_CSV));
        assertEquals("arm,when,index,layer,runs,std_mean,std_sd", summary.get(0));
        assertEquals(1 + 2 * 12, summary.size());
        assertTrue(summary.contains("plain,final,1,c1,2,2.00500,0.00707107"), summary.toString());
        // plain: 2^(7-i), so log10 growth from the second conv to the last = 4 log10 2 (+ the run's factor)
        assertTrue(gradients.markdown().contains("| plain | 2 | 1.20412 |"), gradients.markdown());
    }
}
