package org.bnlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bnlab.data.DatasetCatalog;
import org.bnlab.data.idx.MnistFiles;
import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunSummary;
import org.bnlab.spec.SpecCodec;
import org.bnlab.testing.Backend;
import org.bnlab.testing.IdxFixtures;
import org.bnlab.train.TrainingProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The MLP experiment end to end: IDX data, the mlp architecture, Adam, through the experiment runner. */
@ExtendWith(Backend.class)
class MlpExperimentTest {

    private static final org.bnlab.results.RecordFile<org.bnlab.results.ActivationRow> ACTIVATIONS =
            org.bnlab.measure.ActivationStatsMeasurement.RECORDS;

    @TempDir
    Path tmp;

    @AfterEach
    void forget() {
        DatasetCatalog.clearCache();
    }

    /** The protocol of experiments/mlp-fashion-mnist.yaml on data under {@code root} (null: the usual lookup). */
    private static Experiment.Builder protocol(String name, Path root) {
        Experiment.Builder b = Experiment.builder(name)
                .set("data.dataset", "fashion-mnist")
                .set("data.image_size", "28")
                .set("data.augment", "false")
                .set("model.architecture", "mlp")
                .set("model.hidden", "[256]")
                .set("train.epochs", "1")
                .set("train.batch_size", "128")
                .set("train.optimizer", "adam")
                .set("train.learning_rate", "0.001")
                .set("train.weight_decay", "0")
                .set("train.schedule.milestones", "[]");
        return root == null ? b : b.set("data.root", root.toString());
    }

    private List<ExperimentRunner.RunResult> run(Experiment experiment, Path out) {
        ExperimentPlan plan = ExperimentPlan.expand(experiment);
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<ExperimentRunner.RunResult> results = new ExperimentRunner(TrainingProgress.silent(), log)
                .run(plan, plan.runs(), out);
        results.forEach(r -> assertTrue(r.trained(), r.run().id() + ": " + r.failure()));
        return results;
    }

    private static RunFolder folder(Path out, ExperimentRunner.RunResult result) {
        return RunFolder.at(out.resolve(result.run().id()));
    }

    @Test
    void anMlpTrainsOnIdxFilesAndRecordsWhatItIs() throws IOException {
        IdxFixtures.write(tmp.resolve("data").resolve("fashion-mnist"), 300, 100, 5);
        Path out = tmp.resolve("out");
        Experiment experiment = protocol("mlp-tiny", tmp.resolve("data")).set("model.hidden", "[32]")
                .set("train.epochs", "2").set("measure.activation_stats_every", "2")
                .grid("model.normalization", "batchnorm", "none").seeds(1).build();
        List<ExperimentRunner.RunResult> results = run(experiment, out);
        assertEquals(2, results.size());
        for (ExperimentRunner.RunResult result : results) {
            RunSummary summary = result.summary();
            assertEquals("mlp-784-32-10", summary.model());
            assertEquals(2, summary.depth());
            assertEquals("-", summary.shortcut());
            assertEquals("fashion-mnist", summary.dataset());
            assertEquals(300, summary.trainImages());
            assertEquals(2, summary.epochsCompleted());
            // the bands are easy: both arms learn them within two epochs
            assertTrue(summary.finalTestAccuracy() > 0.5, summary.run() + ": " + summary.finalTestAccuracy());
            RunFolder folder = folder(out, result);
            JsonNode config = SpecCodec.json().readTree(Files.readString(folder.configFile()));
            assertEquals("mlp", config.at("/model/architecture").asText());
            assertEquals("[32]", config.at("/model/hidden").toString());
            assertEquals("adam", config.at("/train/optimizer").asText());
            assertEquals(result.run().spec(), org.bnlab.spec.ConfigJson.read(folder.configFile()));
            JsonNode environment = SpecCodec.json().readTree(Files.readString(folder.environmentFile()));
            assertEquals(1, environment.at("/data/channels").asInt());
            assertEquals(false, environment.at("/data/augment").booleanValue());
            assertEquals(summary.normalization().equals("batchnorm") ? 25_450 + 64 : 25_450,
                    environment.at("/trainable_parameters").asLong(), "784*32 + 32 + 32*10 + 10 (+ gamma, beta)");
            List<EpochMetrics> metrics = folder.readMetrics();
            assertEquals(2, metrics.size());
            assertTrue(Double.isFinite(metrics.get(0).trainLoss()) && metrics.get(0).trainAccuracy() > 0);
            assertTrue(ACTIVATIONS.read(folder).stream().anyMatch(a -> a.stats().layer().equals("dense1_relu")));
        }
    }

    @Test
    void layoutAndKernelsDoNotChangeAnMlp() throws IOException {
        IdxFixtures.write(tmp.resolve("data").resolve("fashion-mnist"), 200, 50, 9);
        Path out = tmp.resolve("out");
        Experiment experiment = protocol("mlp-paths", tmp.resolve("data")).set("model.hidden", "[16]")
                .set("measure.activation_stats_every", "0")
                .grid("execution.layout", "nhwc", "nchw").grid("execution.kernels", "onednn", "dl4j").seeds(3).build();
        List<ExperimentRunner.RunResult> results = run(experiment, out);
        assertEquals(4, results.size());
        EpochMetrics first = folder(out, results.get(0)).readMetrics().get(0);
        for (ExperimentRunner.RunResult result : results) {
            EpochMetrics metrics = folder(out, result).readMetrics().get(0);
            assertEquals(first.trainLoss(), metrics.trainLoss(), 0, result.run().id());
            assertEquals(first.testLoss(), metrics.testLoss(), 0, result.run().id());
            assertEquals(first.testAccuracy(), metrics.testAccuracy(), 0, result.run().id());
        }
    }

    /**
     * Checked by hand before writing it (1 epoch, Adam 0.001, batch 128, evaluated on the first 200 test images of each
     * class): with the first 500 training images of each class (40 steps) BN was ahead in test accuracy for 8 of 8
     * seeds (+0.45 to +3.2 points, mean +1.4) and in training loss for 8 of 8. Not asserted at other sizes, where it
     * does not hold: with 50 per class (4 steps) BN was behind (-2.8 points over 8 seeds: its running statistics have
     * seen 4 batches), with 1,000 per class the two arms were level (82.1% vs 82.5% over 3 seeds), and with all
     * 60,000 images (469 steps) BN was +0.3 points ahead (95% CI -0.8 to +1.4, 3 seeds). BN's training loss of the
     * first epoch was the lower one in every run at 500 per class and more (17 of 17 seed pairs).
     */
    @Test
    void batchNormIsAheadAfterOneEpochOnASliceOfFashionMnist() {
        Assumptions.assumeTrue(MnistFiles.isComplete(DatasetCatalog.DEBIAN_FASHION_MNIST),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        Path out = tmp.resolve("out");
        Experiment experiment = protocol("mlp-slice", tmp.resolve("empty-root"))
                .set("data.train_per_class", "500").set("data.test_per_class", "200")
                .set("measure.activation_stats_every", "0")
                .grid("model.normalization", "batchnorm", "none").seeds(1, 2).build();
        List<ExperimentRunner.RunResult> results = run(experiment, out);
        // seed -> {BN, none}: final test accuracy and mean training loss of the epoch
        Map<Long, double[]> accuracy = new java.util.TreeMap<>();
        Map<Long, double[]> loss = new java.util.TreeMap<>();
        for (ExperimentRunner.RunResult result : results) {
            RunSummary summary = result.summary();
            int arm = summary.normalization().equals(org.bnlab.norm.BatchNorm.TYPE) ? 0 : 1;
            accuracy.computeIfAbsent(summary.seed(), k -> new double[2])[arm] = summary.finalTestAccuracy();
            loss.computeIfAbsent(summary.seed(), k -> new double[2])[arm] =
                    folder(out, result).readMetrics().get(0).trainLoss();
        }
        assertEquals(List.of(1L, 2L), List.copyOf(accuracy.keySet()));
        accuracy.forEach((seed, a) -> assertTrue(a[0] > a[1], "seed " + seed + ": test accuracy BN " + a[0]
                + " vs none " + a[1]));
        loss.forEach((seed, l) -> assertTrue(l[0] < l[1], "seed " + seed + ": training loss BN " + l[0]
                + " vs none " + l[1]));
    }
}
