package org.bnlab.measure;

import org.bnlab.norm.Normalizer;
import org.bnlab.norm.Normalizers;
import org.bnlab.kernels.DnnlBatchNorm;
import org.bnlab.kernels.DnnlConvolution;
import org.bnlab.kernels.Kernels;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.bnlab.norm.BatchNorm;
import org.bnlab.norm.NoNorm;
import org.bnlab.model.ResNetConfig;
import org.bnlab.model.Shortcut;
import org.bnlab.results.ProbeRow;
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
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The probe snapshot: the fused oneDNN path reports what the plain DL4J path reports, the numbers are the
 * definitions', and taking snapshots changes nothing of the training.
 */
@ExtendWith(Backend.class)
class ProbeSnapshotTest {

    private static ResNetConfig spec(Normalizer norm, CNN2DFormat format, Shortcut shortcut) {
        return new ResNetConfig(8, 10, 8, norm, Initialization.HE, shortcut, format, KernelPath.DL4J);
    }

    private static ComputationGraphConfiguration plainConf(ResNetConfig spec) {
        return CifarResNet.configuration(spec, new SgdMomentum(0.05, 0.9), 1e-4, 42);
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** {@code n} images in {@code format} and one-hot labels, drawn in Java from {@code seed}. */
    static DataSet batch(CNN2DFormat format, int n, long seed) {
        INDArray nhwc = ActivationStatisticsTest.images(n, seed);
        INDArray x = format == CNN2DFormat.NHWC ? nhwc : nhwc.permute(0, 3, 1, 2).dup('c');
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 7 + seed) % 10, 1.0);
        }
        return new DataSet(x, y);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"batchnorm, NHWC, A", "batchnorm, NCHW, B", "none, NCHW, A"})
    void theFusedAndThePlainPathAgree(String normName, CNN2DFormat format, Shortcut shortcut) {
        Normalizer norm = Normalizers.named(normName).orElseThrow();
        ResNetConfig spec = spec(norm, format, shortcut);
        ComputationGraph plain = init(plainConf(spec));
        for (int step = 0; step < 3; step++) { // away from the initial running statistics
            plain.fit(batch(format, 16, 10 + step));
        }
        ComputationGraph fused = init(Kernels.accelerate(plainConf(spec), true, Normalizers::onOneDnn));
        copyParameters(plain, fused);
        assertTrue(Arrays.stream(fused.getLayers()).anyMatch(l -> l instanceof DnnlConvolution));
        if (norm == BatchNorm.DEFAULT) {
            assertTrue(Arrays.stream(fused.getLayers()).anyMatch(l -> l instanceof DnnlBatchNorm));
        }
        DataSet probe = batch(format, 12, 99);

        List<ProbeRow> a = ProbeSnapshot.take(plain, probe, 1, 3);
        List<ProbeRow> b = ProbeSnapshot.take(fused, probe, 1, 3);

        // ResNet-8: stem, 3 stages of one block with two convolutions, option B's two projections, the classifier
        List<String> layers = a.stream().map(ProbeRow::layer).toList();
        assertEquals(shortcut == Shortcut.B ? 10 : 8, layers.size(), layers.toString());
        assertEquals("stem_conv", layers.get(0));
        assertEquals("fc", layers.get(layers.size() - 1));
        assertEquals("output", a.get(a.size() - 1).kind());
        for (int i = 0; i < a.size(); i++) {
            ProbeRow p = a.get(i), f = b.get(i);
            String where = p.layer();
            assertEquals(p.layer(), f.layer());
            assertEquals(p.kind(), f.kind(), where);
            assertEquals(p.preActivation(), f.preActivation(), where);
            assertEquals(p.bn(), f.bn(), where);
            double scale = Math.max(p.std(), 1e-3);
            close(p.p15(), f.p15(), 2e-3 * scale, where + " p15");
            close(p.p50(), f.p50(), 2e-3 * scale, where + " p50");
            close(p.p85(), f.p85(), 2e-3 * scale, where + " p85");
            close(p.mean(), f.mean(), 2e-3 * scale, where + " mean");
            close(p.std(), f.std(), 2e-3 * scale, where + " std");
            close(p.weightNorm(), f.weightNorm(), 1e-6 * p.weightNorm(), where + " weight norm");
            close(p.gradientNorm(), f.gradientNorm(), 2e-3 * p.gradientNorm() + 1e-7, where + " gradient norm");
            close(p.bnMeanGap(), f.bnMeanGap(), 2e-3 * Math.max(1, p.bnMeanGap()), where + " bn mean gap");
            close(p.bnVarRatio(), f.bnVarRatio(), 2e-3 * Math.max(1, p.bnVarRatio()), where + " bn var ratio");
            assertEquals(p.gammaNearZero(), f.gammaNearZero(), where);
            assertTrue(p.p15() <= p.p50() && p.p50() <= p.p85(), where);
            assertTrue(p.gradientNorm() > 0 && p.weightNorm() > 0, where);
            if (norm == BatchNorm.DEFAULT && p.kind().equals("conv")) {
                assertEquals(p.layer().replace("_conv", "_bn").replace("_proj", "_proj_bn"), p.bn(), where);
                assertEquals(p.bn(), p.preActivation());
                assertTrue(p.bnMeanGap() > 0 && p.bnVarRatio() > 0, where);
            } else {
                assertEquals(ProbeRow.NO_BN, p.bn(), where);
                assertEquals(p.layer(), p.preActivation());
                assertTrue(Double.isNaN(p.bnMeanGap()), where);
            }
        }
        // the pre-activation is before the ReLU: both signs occur in every hidden layer
        assertTrue(a.stream().allMatch(r -> r.p15() < 0 && r.p85() > 0), a.toString());
    }

    @Test
    void theNumbersAreTheDefinitions() {
        ComputationGraph net = init(plainConf(spec(BatchNorm.DEFAULT, CNN2DFormat.NHWC, Shortcut.A)));
        for (int step = 0; step < 2; step++) {
            net.fit(batch(CNN2DFormat.NHWC, 16, 20 + step));
        }
        // one gamma near zero, to be counted
        net.getLayer("s2b1_1_bn").getParam("gamma").putScalar(0, 0.005);
        DataSet probe = batch(CNN2DFormat.NHWC, 12, 98);
        List<ProbeRow> rows = ProbeSnapshot.take(net, probe, 2, 7);

        Map<String, INDArray> acts = net.feedForward(probe.getFeatures(), false);
        ProbeRow stem = rows.get(0);
        assertEquals(2, stem.epoch());
        assertEquals(7L, stem.iteration());
        // the plain BN's own inference output, summarised by a full sort
        // (from the intact convolution output: DL4J's inference pass applies the ReLU layer in place, so the map's
        // stem_bn holds the ReLU's output)
        INDArray bnOutput = net.getLayer("stem_bn").activate(acts.get("stem_conv").dup(), false,
                org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        float[] bnOut = bnOutput.dup('c').data().asFloat();
        float[] sorted = bnOut.clone();
        Arrays.sort(sorted);
        double h = (sorted.length - 1) * 0.85;
        int k = (int) h;
        close(sorted[k] + (h - k) * ((double) sorted[k + 1] - sorted[k]), stem.p85(), 1e-4, "p85 of stem_bn");
        close(bnOutput.meanNumber().doubleValue(), stem.mean(), 1e-4, "mean");
        close(bnOutput.stdNumber(false).doubleValue(), stem.std(), 1e-4, "population std");
        close(net.getLayer("stem_conv").getParam("W").norm2Number().doubleValue(), stem.weightNorm(), 1e-6, "|W|");
        // the gradient of the mean loss (DL4J sums over the batch)
        net.setInputs(probe.getFeatures());
        net.setLabels(probe.getLabels());
        net.computeGradientAndScore();
        double gradient = net.gradient().getGradientFor("s1b1_2_conv_W").norm2Number().doubleValue() / 12;
        ProbeRow s1b1 = rows.stream().filter(r -> r.layer().equals("s1b1_2_conv")).findFirst().orElseThrow();
        close(gradient, s1b1.gradientNorm(), 1e-6 * gradient, "|dL/dW|");
        ProbeRow s2b1 = rows.stream().filter(r -> r.layer().equals("s2b1_1_conv")).findFirst().orElseThrow();
        assertEquals(1 / 32.0, s2b1.gammaNearZero(), 1e-12);
        assertEquals(0.0, stem.gammaNearZero());
        // the classifier: logits before the softmax, no BN
        ProbeRow fc = rows.get(rows.size() - 1);
        INDArray logits = acts.get("pool").mmul(net.getLayer("fc").getParam("W"))
                .addiRowVector(net.getLayer("fc").getParam("b"));
        close(logits.meanNumber().doubleValue(), fc.mean(), 1e-5, "mean logit");
    }

    @ParameterizedTest(name = "kernels {0}")
    @CsvSource({"ONEDNN", "DL4J"})
    void snapshotsChangeNothingInTraining(KernelPath kernels) {
        ComputationGraph with = ActivationStatisticsTest.resnet8(BatchNorm.DEFAULT, kernels);
        ComputationGraph without = ActivationStatisticsTest.resnet8(BatchNorm.DEFAULT, kernels);
        ActivationStatsListener statsWith = new ActivationStatsListener(1);
        ActivationStatsListener statsWithout = new ActivationStatsListener(1);
        with.setListeners(statsWith);
        without.setListeners(statsWithout);
        ProbeRecorder probe = new ProbeRecorder(2, batch(CNN2DFormat.NHWC, 6, 77));
        probe.startEpoch(1);
        statsWith.startEpoch(1);
        statsWithout.startEpoch(1);
        List<Double> scoresWith = new ArrayList<>(), scoresWithout = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            DataSet b = batch(CNN2DFormat.NHWC, 8, 40 + step);
            probe.beforeIteration(with); // as the trainer calls it
            with.fit(b);
            without.fit(b);
            scoresWith.add(with.score());
            scoresWithout.add(without.score());
        }
        assertEquals(List.of(0L, 2L), probe.epochRows().stream().map(ProbeRow::iteration).distinct().toList());
        assertEquals(scoresWithout, scoresWith, "losses, bit for bit");
        assertArrayEquals(without.params().data().asFloat(), with.params().data().asFloat(),
                "parameters and BN running statistics, bit for bit");
        assertArrayEquals(without.getUpdater().getStateViewArray().data().asFloat(),
                with.getUpdater().getStateViewArray().data().asFloat(), "momentum, bit for bit");
        assertEquals(3L, with.getConfiguration().getIterationCount());
        // the listener saw the training passes only, and the same activations
        assertEquals(statsWithout.epochRows(), statsWith.epochRows());
    }

    @Test
    void aRecorderNeedsAPositiveInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProbeRecorder(0, batch(CNN2DFormat.NHWC, 2, 1)));
        assertTrue(e.getMessage().contains("probe_every"), e.getMessage());
    }

    /**
     * Copies every parameter by name: the flat parameter vector follows the topological order, which fusion can
     * change (option B's projections), so {@code setParams(plain.params())} would not match the layers up.
     */
    private static void copyParameters(ComputationGraph from, ComputationGraph to) {
        assertEquals(from.numParams(), to.numParams());
        from.paramTable().forEach((key, value) -> to.getParam(key).assign(value));
        from.paramTable().forEach((key, value) -> assertEquals(value, to.getParam(key), key));
    }

    private static void close(double expected, double actual, double tolerance, String what) {
        if (Double.isNaN(expected) && Double.isNaN(actual)) {
            return;
        }
        assertEquals(expected, actual, tolerance, what);
    }
}
