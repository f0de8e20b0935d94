package org.bnlab.measure;

import org.bnlab.model.KernelPath;
import org.bnlab.norm.BatchNorm;
import org.bnlab.results.RunFolder;
import org.bnlab.spec.Origins;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.bnlab.spec.SpecException;
import org.bnlab.testing.Backend;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Internal covariate shift (Santurkar et al. 2018, Definition 2.1): zero without a layer below, the two gradients
 * of a tiny network computed directly on copies, training left bit-identical on both kernel paths, the report's
 * plots, and bad settings.
 */
@ExtendWith(Backend.class)
class IcsMeasurementTest {

    /** in(4) -> d0 (tanh) -> d1 (tanh) -> out (softmax, 3 classes), double precision, SGD momentum 0.9, L2 1e-2. */
    private static ComputationGraph tiny(boolean oneLayer) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(11).updater(new SgdMomentum(0.3, 0.9)).l2(1e-2).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in");
        OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                .activation(Activation.SOFTMAX);
        if (oneLayer) {
            g.addLayer("out", out.nIn(4).build(), "in");
        } else {
            g.addLayer("d0", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(), "in")
                    .addLayer("d1", new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.TANH).build(), "d0")
                    .addLayer("out", out.nIn(5).build(), "d1");
        }
        g.setOutputs("out").setInputTypes(InputType.feedForward(4));
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static DataSet batch(long seed) {
        java.util.Random random = new java.util.Random(seed);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 6, 4);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 6, 3);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 4; j++) {
                x.putScalar(i, j, random.nextGaussian());
            }
            y.putScalar(i, random.nextInt(3), 1.0);
        }
        return new DataSet(x, y);
    }

    /** A copy of {@code net}: configuration, parameters, updater state and counters. */
    private static ComputationGraph copy(ComputationGraph net) {
        ComputationGraph c = new ComputationGraph(net.getConfiguration().clone());
        c.init(net.params().dup(), false);
        c.getUpdater().getStateViewArray().assign(net.getUpdater().getStateViewArray());
        c.getConfiguration().setIterationCount(net.getConfiguration().getIterationCount());
        c.getConfiguration().setEpochCount(net.getConfiguration().getEpochCount());
        return c;
    }

    /** The gradient of the mean loss w.r.t. {@code layer}'s weights at {@code net}'s parameters. */
    private static INDArray gradient(ComputationGraph net, DataSet batch, String layer) {
        net.setInputs(batch.getFeatures().dup());
        net.setLabels(batch.getLabels().dup());
        net.computeGradientAndScore();
        return net.gradient().getGradientFor(layer + "_W").dup().reshape(-1).divi(batch.numExamples());
    }

    @Test
    void aOneLayerModelHasNoShift() {
        ComputationGraph net = tiny(true);
        net.fit(batch(1)); // momentum under way
        List<IcsMeasurement.Row> rows = new IcsMeasurement.Meter(0).measure(net, batch(2), 1);
        assertEquals(1, rows.size());
        assertEquals(0.0, rows.get(0).l2Distance());
        assertEquals(1.0, rows.get(0).cosine(), 1e-12);
        assertTrue(rows.get(0).gradNorm() > 0);
    }

    @Test
    void theGradientsAreTheDirectTwoPassComputation() {
        ComputationGraph net = tiny(false);
        for (int step = 0; step < 3; step++) {
            net.fit(batch(10 + step)); // non-zero momentum buffers, iteration count 3
        }
        DataSet batch = batch(99);
        List<IcsMeasurement.Row> rows = new IcsMeasurement.Meter(0).measure(net, batch, 1);
        assertEquals(List.of("d0", "d1", "out"), rows.stream().map(IcsMeasurement.Row::layer).toList());
        // by hand: the step on a copy gives W(t+1); then each layer's gradient with the layers below moved
        ComputationGraph stepped = copy(net);
        stepped.fit(batch.copy());
        List<String> layers = List.of("d0", "d1", "out");
        for (int i = 0; i < layers.size(); i++) {
            INDArray g = gradient(copy(net), batch, layers.get(i));
            ComputationGraph mixed = copy(net);
            for (String below : layers.subList(0, i)) {
                mixed.getLayer(below).paramTable().forEach((k, v) -> v.assign(stepped.getLayer(below).getParam(k)));
            }
            INDArray gAfter = gradient(mixed, batch, layers.get(i));
            IcsMeasurement.Row r = rows.get(i);
            assertEquals(i + 1, r.index());
            double distance = g.sub(gAfter).norm2Number().doubleValue();
            assertEquals(distance, r.l2Distance(), 1e-12 + 1e-9 * distance, r.layer());
            double cosine = g.mul(gAfter).sumNumber().doubleValue()
                    / (g.norm2Number().doubleValue() * gAfter.norm2Number().doubleValue());
            assertEquals(cosine, r.cosine(), 1e-9, r.layer());
            assertEquals(g.norm2Number().doubleValue(), r.gradNorm(), 1e-12);
            assertEquals(3, r.iteration());
            if (i > 0) {
                assertTrue(r.l2Distance() > 1e-6, r.layer() + ": the layers below moved");
            }
        }
        assertEquals(0.0, rows.get(0).l2Distance(), "nothing below the first layer");
    }

    @ParameterizedTest(name = "kernels {0}")
    @EnumSource(KernelPath.class)
    void measuringLeavesTrainingBitIdentical(KernelPath kernels) {
        ComputationGraph with = ActivationStatisticsTest.resnet8(BatchNorm.DEFAULT, kernels);
        ComputationGraph without = ActivationStatisticsTest.resnet8(BatchNorm.DEFAULT, kernels);
        IcsMeasurement.Recorder recorder = new IcsMeasurement.Recorder(2, new IcsMeasurement.Meter(3));
        recorder.startEpoch(1);
        List<Double> scoresWith = new ArrayList<>();
        List<Double> scoresWithout = new ArrayList<>();
        List<Long> draws = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            DataSet b = ProbeSnapshotTest.batch(org.deeplearning4j.nn.conf.CNN2DFormat.NHWC, 8, 40 + step);
            Nd4j.getRandom().setSeed(5 + step);
            recorder.beforeIteration(with, b);
            with.fit(b);
            draws.add(Nd4j.getRandom().nextLong());
            Nd4j.getRandom().setSeed(5 + step);
            without.fit(b);
            draws.add(Nd4j.getRandom().nextLong());
            scoresWith.add(with.score());
            scoresWithout.add(without.score());
        }
        assertEquals(draws.get(0), draws.get(1), "the random generator is left where it was");
        assertEquals(scoresWithout, scoresWith, "losses, bit for bit");
        assertArrayEquals(without.params().data().asFloat(), with.params().data().asFloat(),
                "parameters and BN running statistics, bit for bit");
        assertArrayEquals(without.getUpdater().getStateViewArray().data().asFloat(),
                with.getUpdater().getStateViewArray().data().asFloat(), "momentum buffers");
        assertEquals(without.getConfiguration().getIterationCount(), with.getConfiguration().getIterationCount());
        assertEquals(List.of(with.getListeners().size()), List.of(without.getListeners().size()));
    }

    @Test
    void theMeasuredLayersAreSpreadFromTheSecondToTheLast() {
        assertEquals(List.of(8, 14, 21), IcsMeasurement.chosen(21, 3));
        assertEquals(List.of(21), IcsMeasurement.chosen(21, 1));
        assertEquals(21, IcsMeasurement.chosen(21, 0).size());
        assertEquals(21, IcsMeasurement.chosen(21, 20).size());
        assertEquals(List.of(1), IcsMeasurement.chosen(1, 2));
    }

    @Test
    void theReportPlotsDistanceAndCosinePerArm(@TempDir Path tmp) throws Exception {
        List<MeasuredRun> runs = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
            RunFolder folder = RunFolder.at(Files.createDirectories(tmp.resolve("run" + run)));
            List<IcsMeasurement.Row> rows = new ArrayList<>();
            for (long step = 0; step < 50; step += 10) {
                for (int index = 1; index <= 5; index++) {
                    double d = (run < 2 ? 2.0 : 1.0) * index * (1 + step / 10.0) + 0.1 * run;
                    rows.add(new IcsMeasurement.Row(1, step, index, "c" + index, d, 1 - 0.01 * d, 10, 10));
                }
            }
            IcsMeasurement.RECORDS.writeEpoch(folder, 1, rows);
            assertEquals(rows, IcsMeasurement.RECORDS.read(folder));
            runs.add(new MeasuredRun("run" + run, run < 2 ? "bn" : "none", folder, null));
        }
        MeasurementReport part = new IcsMeasurement().report("x", runs);
        Path report = tmp.resolve("report");
        List<String> plots = part.writeTo(report);
        assertEquals(List.of("plots/ics-c1.png", "plots/ics-c3.png", "plots/ics-c5.png"), plots);
        for (String png : plots) {
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
        List<String> summary = Files.readAllLines(report.resolve(IcsMeasurement.SUMMARY_CSV));
        assertEquals("arm,index,iteration,runs,l2_distance_mean,l2_distance_sd,cosine_mean,cosine_sd",
                summary.get(0));
        assertEquals(1 + 2 * 5 * 5, summary.size());
        assertTrue(summary.contains("bn,1,0,2,2.05000,0.0707107,0.979500,0.000707107"), summary.toString());
        // bn, layer 1: per run the mean over steps of 2 (1 + s/10) + 0.1 run = 6 + 0.1 run: runs 0, 1 -> 6.05
        assertTrue(part.markdown().contains("| bn | 1 c1 | 2 | 6.05000 |"), part.markdown());
        assertEquals(MeasurementReport.NONE, new IcsMeasurement().report("x",
                List.of(new MeasuredRun("empty", "bn", RunFolder.at(Files.createDirectories(tmp.resolve("e"))), null))));
    }

    @Test
    void badSettingsAreOneClearError() throws Exception {
        for (String key : List.of("measure.ics_every", "measure.ics_layers")) {
            var tree = SpecCodec.tree(RunSpec.DEFAULT);
            SpecCodec.set(tree, key, SpecCodec.parseValue("-1"));
            SpecException e = assertThrows(SpecException.class, () -> SpecCodec.toSpec(tree, new Origins()));
            assertTrue(e.getMessage().contains(key.substring("measure.".length())), e.getMessage());
            assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
        }
        assertTrue(new IcsMeasurement().recorder(new RecordingContext(RunSpec.DEFAULT, 10, 16,
                (n, s) -> null)).isEmpty(), "off by default");
    }
}
