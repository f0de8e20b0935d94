package org.bnlab.measure;

import org.bnlab.kernels.Kernels;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.bnlab.model.ResNetConfig;
import org.bnlab.model.Shortcut;
import org.bnlab.norm.Normalizers;
import org.bnlab.results.RunFolder;
import org.bnlab.testing.Backend;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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
import org.nd4j.linalg.learning.config.Sgd;
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
 * The landscape along the gradient (Santurkar et al. 2018, Fig. 4) against closed forms on a linear model with
 * squared loss, the measurement leaving BN training bit-identical on both kernel paths, and its report part.
 */
@ExtendWith(Backend.class)
class LandscapeMeasurementTest {

    private static final int IN = 3;
    private static final int OUT = 2;
    private static final double LR = 0.1;

    /** y = W^T x + b, loss = mean over the batch of ||y - t||^2 (DL4J's L2 loss, summed over outputs). */
    private static ComputationGraph linear() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new Sgd(LR)).weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.L2).nIn(IN).nOut(OUT)
                        .activation(Activation.IDENTITY).build(), "in")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @Test
    void onALinearModelWithSquaredLossTheQuantitiesAreTheClosedForms() {
        ComputationGraph net = linear();
        int n = 7;
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, IN);
        INDArray t = Nd4j.randn(DataType.DOUBLE, n, OUT);
        DataSet batch = new DataSet(x, t);
        List<Double> multiples = List.of(0.5, 1.0, 3.0);
        List<LandscapeMeasurement.Row> rows = LandscapeMeasurement.measure(net, batch, multiples, 1, 0);

        // theta_j = (W[:, j], b_j) per output j; z_i = (x_i, 1); r_ij = theta_j . z_i - t_ij
        double[][] w = net.getParam("out_W").toDoubleMatrix();
        double[] b = net.getParam("out_b").toDoubleVector();
        double[][] z = new double[n][IN + 1];
        double[][] r = new double[n][OUT];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < IN; k++) {
                z[i][k] = x.getDouble(i, k);
            }
            z[i][IN] = 1;
            for (int j = 0; j < OUT; j++) {
                double y = b[j];
                for (int k = 0; k < IN; k++) {
                    y += w[k][j] * z[i][k];
                }
                r[i][j] = y - t.getDouble(i, j);
            }
        }
        // g_j = (2/N) sum_i r_ij z_i; H = (2/N) sum_i z_i z_i^T (the same for every output)
        double[][] g = new double[OUT][IN + 1];
        double[][] h = new double[IN + 1][IN + 1];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < OUT; j++) {
                loss += r[i][j] * r[i][j] / n;
                for (int k = 0; k <= IN; k++) {
                    g[j][k] += 2.0 / n * r[i][j] * z[i][k];
                }
            }
            for (int k = 0; k <= IN; k++) {
                for (int l = 0; l <= IN; l++) {
                    h[k][l] += 2.0 / n * z[i][k] * z[i][l];
                }
            }
        }
        double gg = 0;
        double hg2 = 0;
        for (int j = 0; j < OUT; j++) {
            for (int k = 0; k <= IN; k++) {
                gg += g[j][k] * g[j][k];
                double hgk = 0;
                for (int l = 0; l <= IN; l++) {
                    hgk += h[k][l] * g[j][l];
                }
                hg2 += hgk * hgk;
            }
        }
        double gNorm = Math.sqrt(gg);
        double hgNorm = Math.sqrt(hg2);
        assertEquals(multiples.size(), rows.size());
        for (int m = 0; m < multiples.size(); m++) {
            LandscapeMeasurement.Row row = rows.get(m);
            double eta = multiples.get(m) * LR;
            // L(theta - eta g) = (1/N) sum_ij (r_ij - eta g_j . z_i)^2: quadratic in eta
            double moved = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < OUT; j++) {
                    double gz = 0;
                    for (int k = 0; k <= IN; k++) {
                        gz += g[j][k] * z[i][k];
                    }
                    moved += Math.pow(r[i][j] - eta * gz, 2) / n;
                }
            }
            assertEquals(LR, row.learningRate(), 1e-15);
            assertEquals(multiples.get(m), row.multiple());
            assertEquals(eta, row.stepSize(), 1e-15);
            assertEquals(loss, row.loss(), 1e-12 * loss);
            assertEquals(gNorm, row.gradientNorm(), 1e-12 * gNorm);
            assertEquals(moved, row.stepLoss(), 1e-12 * loss, "L(w - eta g) at multiple " + multiples.get(m));
            // grad L(theta - eta g) = g - eta H g exactly: the change is eta ||Hg||, beta = ||Hg|| / ||g||
            assertEquals(eta * hgNorm, row.gradientChange(), 1e-10 * eta * hgNorm);
            assertEquals(hgNorm / gNorm, row.beta(), 1e-10 * hgNorm / gNorm);
        }
    }

    @Test
    void measuringLeavesBnTrainingBitIdenticalOnBothKernelPaths() {
        for (boolean fused : new boolean[]{false, true}) {
            ResNetConfig spec = new ResNetConfig(8, 10, 8, Normalizers.named("batchnorm").orElseThrow(),
                    Initialization.HE, Shortcut.A, CNN2DFormat.NCHW, KernelPath.DL4J);
            ComputationGraphConfiguration plain = CifarResNet.configuration(spec, new SgdMomentum(0.05, 0.9), 1e-4,
                    42);
            ComputationGraphConfiguration c = fused ? Kernels.accelerate(plain, true, Normalizers::onOneDnn) : plain;
            ComputationGraph measured = new ComputationGraph(c.clone());
            measured.init();
            ComputationGraph untouched = new ComputationGraph(c.clone());
            untouched.init();
            List<LandscapeMeasurement.Row> rows = new ArrayList<>();
            for (int step = 0; step < 3; step++) {
                DataSet batch = ProbeSnapshotTest.batch(CNN2DFormat.NCHW, 16, 20 + step);
                rows.addAll(LandscapeMeasurement.measure(measured, batch, List.of(0.5, 1.0, 2.0, 4.0), 1, step));
                measured.fit(batch);
                untouched.fit(batch);
                assertEquals(untouched.score(), measured.score(), "fused " + fused + ", step " + step);
            }
            assertEquals(untouched.params(), measured.params(), "fused " + fused);
            assertEquals(untouched.getUpdater().getStateViewArray(), measured.getUpdater().getStateViewArray());
            assertEquals(untouched.getConfiguration().getIterationCount(),
                    measured.getConfiguration().getIterationCount());
            assertEquals(12, rows.size());
            for (LandscapeMeasurement.Row row : rows) {
                assertEquals(0.05 * row.multiple(), row.stepSize(), 1e-12);
                assertTrue(row.gradientNorm() > 0 && row.gradientChange() > 0 && row.beta() > 0, row.toString());
                assertTrue(Double.isFinite(row.stepLoss()) && row.loss() > 0, row.toString());
            }
        }
    }

    @Test
    void theRecorderMeasuresEveryNthStepAndWritesItsEpochs(@TempDir Path tmp) throws Exception {
        ComputationGraph net = linear();
        LandscapeMeasurement.Recorder recorder = new LandscapeMeasurement.Recorder(2, List.of(1.0, 2.0));
        RunFolder folder = RunFolder.at(Files.createDirectories(tmp.resolve("run")));
        Nd4j.getRandom().setSeed(5);
        DataSet batch = new DataSet(Nd4j.randn(DataType.DOUBLE, 5, IN), Nd4j.randn(DataType.DOUBLE, 5, OUT));
        recorder.startEpoch(1);
        for (int step = 0; step < 5; step++) {
            recorder.beforeIteration(net, batch);
            net.fit(batch);
        }
        recorder.epochDone(1, folder);
        List<LandscapeMeasurement.Row> rows = LandscapeMeasurement.RECORDS.read(folder);
        assertEquals(List.of(0L, 0L, 2L, 2L, 4L, 4L), rows.stream().map(LandscapeMeasurement.Row::iteration).toList());
        assertEquals(rows, LandscapeMeasurement.RECORDS.parse(LandscapeMeasurement.RECORDS.format(rows), "x"));
    }

    @Test
    void theReportDrawsTheBandsAndGivesTheRatioToTheFirstArm(@TempDir Path tmp) throws Exception {
        List<MeasuredRun> runs = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
            RunFolder folder = RunFolder.at(Files.createDirectories(tmp.resolve("run" + run)));
            boolean bn = run >= 2;
            double scale = bn ? 0.25 : 1.0; // BN: a quarter of every quantity
            List<LandscapeMeasurement.Row> rows = new ArrayList<>();
            for (long it = 0; it <= 40; it += 10) {
                for (double m : List.of(1.0, 2.0)) {
                    double loss = 2.3 - it / 100.0;
                    rows.add(new LandscapeMeasurement.Row(1, it, 0.1, m, 0.1 * m, loss, 1,
                            loss + scale * m * (1 + run % 2), scale * m * (1 + run % 2), scale * (3 + m)));
                }
            }
            LandscapeMeasurement.RECORDS.writeEpoch(folder, 1, rows);
            runs.add(new MeasuredRun("run" + run, bn ? "batchnorm" : "none", folder,
                    org.bnlab.spec.RunSpec.DEFAULT.withSeed(1 + run % 2)));
        }
        MeasurementReport part = new LandscapeMeasurement().report("x", runs);
        Path report = tmp.resolve("report");
        assertEquals(List.of(LandscapeMeasurement.PLOT), part.writeTo(report));
        BufferedImage image = ImageIO.read(report.resolve(LandscapeMeasurement.PLOT).toFile());
        assertNotNull(image);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "only " + colours.size() + " colours");
        List<String> summary = Files.readAllLines(report.resolve(LandscapeMeasurement.SUMMARY_CSV));
        assertEquals(1 + 2 * 5, summary.size());
        // none, iteration 0: loss 2.3 + 1.5 m (mean over the seeds' factors 1, 2); change 1.5 m; beta 3 + 2
        assertEquals("none,0,2,3.80000,5.30000,1.50000,3.00000,5.00000", summary.get(1));
        String md = part.markdown();
        // every ratio is exactly 0.25 for both seeds: the interval collapses onto it
        assertTrue(md.contains("| batchnorm / none | 2 | 0.250000 (0.250000 to 0.250000) | 0.250000 (0.250000 to "
                + "0.250000) | 0.250000 (0.250000 to 0.250000) |"), md);
        assertTrue(md.contains("| none | 2 | 1.50000 ("), md);
    }
}
