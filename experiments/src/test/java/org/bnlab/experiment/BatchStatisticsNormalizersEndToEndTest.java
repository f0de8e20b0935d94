package org.bnlab.experiment;

import org.bnlab.analysis.runner.Analyzer;
import org.bnlab.norm.BatchRenorm;
import org.bnlab.norm.GhostBatchNorm;
import org.bnlab.norm.GhostBatchRenormalizationLayer;
import org.bnlab.report.ExperimentReport;
import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.testing.Backend;
import org.bnlab.testing.TinyExperiment;
import org.bnlab.train.ParameterTransfer;
import org.bnlab.train.TrainingProgress;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch Renormalization (with a schedule short enough that r and d are clipped by limits that change during the
 * run) and Ghost BN (ghost batches of 6 in batches of 16 and 8: the last ghost batch smaller) through the runner
 * on the tiny generated CIFAR-10: trained, resumed after a crash to bit-identical numbers, {@code analyze}'s four
 * modes, BN-parameter transfer, the report labelling the arms by normalizer and parameters, and
 * {@code environment.json} naming the layer that computes them.
 */
@ExtendWith(Backend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchStatisticsNormalizersEndToEndTest {

    static final String RENORM = "{type: batchrenorm, warmup_steps: 1, r_max_ramp_steps: 3, d_max_ramp_steps: 2}";
    static final String GHOST = "{type: ghostbatchnorm, virtual_batch_size: 6}";

    @TempDir
    static Path tmp;

    ExperimentPlan plan;
    Path out;
    List<ExperimentRunner.RunResult> results;

    @BeforeAll
    void trainOnce() {
        Map<String, List<String>> arms = new LinkedHashMap<>();
        arms.put("model.normalization", List.of(RENORM, GHOST, RENORM));
        arms.put("train.learning_rate", List.of("0.05", "0.05", "0.02"));
        arms.put("model.init_from", List.of("null", "null",
                "{match: {train.learning_rate: 0.05, model.normalization.type: batchrenorm}, parameters: batchnorm}"));
        plan = ExperimentPlan.expand(TinyExperiment.builder("variants").zip(arms).seeds(5).build());
        out = tmp.resolve("out");
        results = new ExperimentRunner(TrainingProgress.silent(), new PrintStream(OutputStream.nullOutputStream()))
                .run(plan, plan.runs(), out);
    }

    private PlannedRun source(String normalization) {
        return plan.runs().stream().filter(r -> r.spec().model().initFrom() == null
                && r.spec().model().normalization().type().equals(normalization)).findFirst().orElseThrow();
    }

    @Test
    void everyRunTrainsWithItsOwnLayers() throws Exception {
        assertEquals(3, results.size());
        for (ExperimentRunner.RunResult r : results) {
            assertTrue(r.trained(), r.failure());
            assertEquals(RunStatus.COMPLETED, r.status());
        }
        BatchRenorm renorm = (BatchRenorm) source(BatchRenorm.TYPE).spec().model().normalization();
        assertEquals(new BatchRenorm(0.9, 1e-5, 3, 5, 1, 3, 2), renorm, "unset parameters take the defaults");
        GhostBatchNorm ghost = (GhostBatchNorm) source(GhostBatchNorm.TYPE).spec().model().normalization();
        assertEquals(6, ghost.virtualBatchSize());
        for (String type : List.of(BatchRenorm.TYPE, GhostBatchNorm.TYPE)) {
            RunFolder folder = ExperimentRecord.folderOf(out, source(type));
            String environment = Files.readString(folder.environmentFile());
            assertEquals("none", org.bnlab.spec.SpecCodec.json().readTree(environment).path("backend")
                    .path("layer_helpers").path("GhostBatchRenormalizationLayer").asText(),
                    "the layer that computes it, on ND4J's operations (no vendor helper): " + environment);
            ComputationGraph trained = ParameterTransfer.trainedNetwork(folder.checkpointFile());
            assertEquals(6, trained.getConfiguration().getIterationCount(), "2 epochs of 3 steps");
            long layers = java.util.Arrays.stream(trained.getLayers())
                    .filter(l -> l instanceof GhostBatchRenormalizationLayer).count();
            assertEquals(7, layers, type + ": one after each of ResNet-8's 7 convolutions");
        }
    }

    /** A crash when epoch 2 starts, then a resume: the numbers of the uninterrupted run, bit for bit. */
    @Test
    void aCrashedRunResumesToTheUninterruptedNumbers() {
        for (String type : List.of(BatchRenorm.TYPE, GhostBatchNorm.TYPE)) {
            PlannedRun run = source(type);
            Path crashed = tmp.resolve("crashed-" + type);
            TrainingProgress crash = new TrainingProgress() {
                @Override
                public void epochStarted(String id, int e, int epochs, int batches) {
                    if (e == 2) {
                        throw new IllegalStateException("simulated crash at the start of epoch 2");
                    }
                }

                @Override
                public void stepDone(double batchLoss, double runningAccuracy, double imagesPerSecond) {
                }

                @Override
                public void epochDone(String id, EpochMetrics metrics) {
                }
            };
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            assertEquals(RunStatus.FAILED, new ExperimentRunner(crash, quiet).run(plan, List.of(run), crashed).get(0)
                    .status());
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            ExperimentRunner.RunResult resumed = new ExperimentRunner(TrainingProgress.silent(),
                    new PrintStream(log, true, StandardCharsets.UTF_8)).run(plan, List.of(run), crashed).get(0);
            assertTrue(resumed.trained(), resumed.failure());
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("resuming after epoch 1"), log.toString());
            ExperimentRunnerTest.assertSameNumbers(ExperimentRecord.folderOf(out, run).readMetrics(),
                    ExperimentRecord.folderOf(crashed, run).readMetrics());
            ComputationGraph a = ParameterTransfer.trainedNetwork(ExperimentRecord.folderOf(out, run).checkpointFile());
            ComputationGraph b = ParameterTransfer.trainedNetwork(ExperimentRecord.folderOf(crashed, run)
                    .checkpointFile());
            assertArrayEquals(a.params().data().asFloat(), b.params().data().asFloat(),
                    type + ": parameters and running statistics");
        }
    }

    @Test
    void theTransferredRunStartsFromTheSourcesNormalizationParameters() {
        PlannedRun target = plan.runs().stream().filter(r -> r.spec().model().initFrom() != null).findFirst()
                .orElseThrow();
        assertEquals(source(BatchRenorm.TYPE).id(), target.source().id());
        ComputationGraph source = ParameterTransfer.trainedNetwork(ExperimentRecord.folderOf(out,
                source(BatchRenorm.TYPE)).checkpointFile());
        ComputationGraph fresh = RunNetwork.fresh(target.spec(), RunNetwork.input(target.spec(),
                target.spec().data().imageSize(), 3, 10), RunNetwork.recipe(target.spec().train(),
                target.spec().seed()), 3);
        List<String> copied = ParameterTransfer.copy(source, fresh, true);
        assertEquals(7, copied.size(), "the 7 normalization layers: " + copied);
        for (Layer layer : fresh.getLayers()) {
            if (layer instanceof GhostBatchRenormalizationLayer) {
                String name = layer.getConfig().getLayerName();
                for (String key : List.of("gamma", "beta", "mean", "log10stdev")) {
                    assertArrayEquals(source.getLayer(name).getParam(key).data().asFloat(),
                            layer.getParam(key).data().asFloat(), name + " " + key);
                }
            }
        }
    }

    @Test
    void analyzeRunsItsFourModesAndTheReportLabelsTheArms() throws Exception {
        Path copy = tmp.resolve("analyzed");
        Files.createDirectories(copy);
        for (String type : List.of(BatchRenorm.TYPE, GhostBatchNorm.TYPE)) {
            Path from = ExperimentRecord.folderOf(out, source(type)).dir();
            try (var files = Files.walk(from)) {
                for (Path p : files.toList()) {
                    Path to = copy.resolve(out.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
        }
        new Analyzer(new PrintStream(OutputStream.nullOutputStream())).analyze(copy,
                List.of("eval.modes=[running,batch,precise,adabn]", "eval.test_batch_sizes=[2,8]",
                        "eval.precise_batches=2"), null);
        for (String type : List.of(BatchRenorm.TYPE, GhostBatchNorm.TYPE)) {
            Path analysis = ExperimentRecord.folderOf(copy, source(type)).dir().resolve("analysis");
            for (String mode : List.of("running", "batch", "precise", "adabn")) {
                assertTrue(Files.isRegularFile(analysis.resolve("rows-" + mode + ".csv")), type + " " + mode);
                String rows = Files.readString(analysis.resolve("rows-" + mode + ".csv"));
                assertFalse(rows.contains("NaN"), type + " " + mode + ": " + rows);
            }
        }
        ExperimentReport report = ExperimentReport.build(out, 0.2);
        List<String> labels = report.runs().stringColumn("normalization").asList();
        assertTrue(labels.stream().anyMatch(l -> l.contains("ghostbatchnorm") && l.contains("6")), labels.toString());
        assertTrue(labels.stream().anyMatch(l -> l.contains("batchrenorm")), labels.toString());
        Path written = tmp.resolve("report");
        Files.createDirectories(written);
        report.writeTo(written);
        String markdown = Files.readString(written.resolve("report.md"));
        assertTrue(markdown.contains("ghostbatchnorm"), markdown);
    }
}
