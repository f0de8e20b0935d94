package org.bnlab.experiment;

import org.bnlab.data.Layout;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.bnlab.model.Normalization;
import org.bnlab.model.ResNetSpec;
import org.bnlab.report.ComparisonReport;
import org.bnlab.results.ActivationRow;
import org.bnlab.results.EpochMetrics;
import org.bnlab.results.LayerActivationStats;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.bnlab.testing.Backend;
import org.bnlab.testing.SharedData;
import org.bnlab.train.TrainingProgress;
import org.bnlab.train.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end on real CIFAR-10 (JPEG folders in ../shared): a small ResNet (n = 1, 8 layers) with and without BN
 * learns and records activation statistics, the same seed gives the same numbers and the same activations.csv, and
 * an interrupted run resumes to exactly the same numbers and files.
 */
@ExtendWith(Backend.class)
class ComparisonIntegrationTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path tmp;

    private Comparison.Plan plan(Path out, int epochs, int trainPerClass, List<Variant> variants, int statsEvery) {
        DataOptions data = new DataOptions("cifar10", SharedData.datasets(), 32, trainPerClass, null,
                trainPerClass / 2, 0, false, Layout.NHWC);
        // the path users run by default: NHWC on bnlab's oneDNN kernels
        ResNetSpec model = ResNetSpec.resnet20(10).withDepth(8).withFormat(CNN2DFormat.NHWC)
                .withKernels(KernelPath.ONEDNN);
        TrainingSpec training = TrainingSpec.paper(epochs, 7).withLearningRate(0.05);
        return new Comparison.Plan(out, data, model, training, variants, 0.2, statsEvery);
    }

    @Test
    void smallResNetLearnsWithAndWithoutBatchNorm() {
        Path out = tmp.resolve("cmp");
        List<Variant> variants = List.of(new Variant(Normalization.BATCHNORM, Initialization.HE, 0.05),
                new Variant(Normalization.NONE, Initialization.ZERO_RESIDUAL, 0.05));
        // 2,000 images in batches of 128: 16 iterations per epoch, so snapshots at 0, 5, 10, 15 | 20, 25, 30 | 35, 40, 45
        Comparison.Result result = new Comparison(TrainingProgress.silent(), QUIET)
                .run(plan(out, 3, 200, variants, 5));

        assertTrue(result.failures().isEmpty(), result.failures().toString());
        assertEquals(2, result.runs().size());
        for (RunSummary run : result.runs()) {
            assertEquals(RunStatus.COMPLETED, run.status(), run.run());
            assertEquals(2000, run.trainImages());
            assertEquals(1000, run.testImages());
            assertTrue(run.bestTestAccuracy() > 0.2, run.run() + " should beat chance (10%) clearly: "
                    + run.bestTestAccuracy());
        }
        // what a user gets: the run folders and the report
        for (RunSummary run : result.runs()) {
            RunFolder folder = RunFolder.at(out.resolve(run.run()));
            assertTrue(Files.exists(folder.configFile()));
            assertTrue(Files.exists(folder.environmentFile()));
            assertEquals(3, folder.readMetrics().size());
            assertActivationSnapshots(folder.readActivations());
        }
        assertTrue(Files.exists(out.resolve("comparison.csv")));
        assertTrue(Files.exists(out.resolve("comparison.md")));
        assertEquals(2, result.report().orElseThrow().perRun().rowCount());

        // the report's activations table: each run's snapshot at iteration 45 (epoch 3), layer by layer
        Table summary = result.report().orElseThrow().activations();
        for (RunSummary run : result.runs()) {
            Table mine = summary.where(summary.stringColumn("run").isEqualTo(run.run()));
            List<ActivationRow> last = RunFolder.at(out.resolve(run.run())).readActivations().stream()
                    .filter(r -> r.iteration() == 45).toList();
            assertEquals(last.size(), mine.rowCount(), run.run());
            assertEquals(last.stream().map(r -> r.stats().layer()).toList(), mine.stringColumn("layer").asList());
            assertTrue(mine.intColumn("epoch").asList().stream().allMatch(e -> e == 3));
            assertEquals(last.get(0).stats().mean(), mine.doubleColumn("mean").getDouble(0));
        }
        assertTrue(Files.exists(out.resolve(ComparisonReport.ACTIVATIONS_CSV_FILE)));
    }

    /** Snapshots every 5 iterations, each listing the network's layers from the first convolution to the pooling. */
    private static void assertActivationSnapshots(List<ActivationRow> rows) {
        Map<List<Long>, List<ActivationRow>> snapshots = new LinkedHashMap<>();
        for (ActivationRow row : rows) {
            snapshots.computeIfAbsent(List.of((long) row.epoch(), row.iteration()), k -> new ArrayList<>()).add(row);
        }
        assertEquals(List.of(List.of(1L, 0L), List.of(1L, 5L), List.of(1L, 10L), List.of(1L, 15L), List.of(2L, 20L),
                List.of(2L, 25L), List.of(2L, 30L), List.of(3L, 35L), List.of(3L, 40L), List.of(3L, 45L)),
                new ArrayList<>(snapshots.keySet()));
        List<String> layers = snapshots.values().iterator().next().stream().map(r -> r.stats().layer()).toList();
        assertEquals("stem_conv", layers.get(0));
        assertEquals("pool", layers.get(layers.size() - 1));
        assertFalse(layers.contains("input"));
        for (List<ActivationRow> snapshot : snapshots.values()) {
            assertEquals(layers, snapshot.stream().map(r -> r.stats().layer()).toList(), "same layers, same order");
        }
        for (ActivationRow row : rows) {
            LayerActivationStats s = row.stats();
            double rounding = 1e-5 * Math.max(1, Math.abs(s.mean())); // float reductions
            assertTrue(s.min() <= s.mean() + rounding && s.mean() <= s.max() + rounding && s.std() >= 0, s.toString());
            assertTrue(s.meanAbs() >= Math.abs(s.mean()) - rounding && s.zeroFraction() >= 0 && s.zeroFraction() <= 1,
                    s.toString());
            if (s.kind().endsWith("relu")) {
                assertTrue(s.min() >= 0 && s.zeroFraction() > 0, "a ReLU's output has zeros and no negatives: " + s);
            }
        }
    }

    @Test
    void sameSeedSameNumbersAndAnInterruptedRunResumesExactly() throws Exception {
        List<Variant> bn = List.of(new Variant(Normalization.BATCHNORM, Initialization.HE, 0.05));
        // 400 images in batches of 128: 4 iterations per epoch, activation snapshots at 0 and 3, then 6
        Comparison.Result first = new Comparison(TrainingProgress.silent(), QUIET)
                .run(plan(tmp.resolve("a"), 2, 40, bn, 3));
        Comparison.Result second = new Comparison(TrainingProgress.silent(), QUIET)
                .run(plan(tmp.resolve("b"), 2, 40, bn, 3));
        String run = first.runs().get(0).run();
        List<EpochMetrics> a = RunFolder.at(tmp.resolve("a").resolve(run)).readMetrics();
        List<EpochMetrics> b = RunFolder.at(tmp.resolve("b").resolve(run)).readMetrics();
        assertSameNumbers(a, b);
        String activations = Files.readString(RunFolder.at(tmp.resolve("a").resolve(run)).activationsFile());
        assertEquals(List.of(0L, 3L, 6L), RunFolder.at(tmp.resolve("a").resolve(run)).readActivations().stream()
                .map(ActivationRow::iteration).distinct().toList());
        assertEquals(activations, Files.readString(RunFolder.at(tmp.resolve("b").resolve(run)).activationsFile()),
                "same seed, same activations.csv");

        // interrupt a third copy when its second epoch starts, then rerun the same plan: it resumes
        Comparison.Plan third = plan(tmp.resolve("c"), 2, 40, bn, 3);
        Comparison interrupted = new Comparison(new CrashAtEpoch(2), QUIET);
        Comparison.Result crashed = interrupted.run(third);
        assertEquals(1, crashed.failures().size(), "the crash is reported as a failed run");
        RunFolder folder = RunFolder.at(tmp.resolve("c").resolve(run));
        assertFalse(folder.isFinished());
        assertEquals(1, folder.readMetrics().size());
        assertEquals(Set.of(1), folder.readActivations().stream().map(ActivationRow::epoch).collect(toSet()));
        assertTrue(Files.exists(folder.checkpointFile()));

        // resume, and crash again once epoch 2's metrics and activations are written but before its checkpoint
        Comparison.Result crashedLate = new Comparison(new CrashAfterEpoch(2), QUIET).run(third);
        assertEquals(1, crashedLate.failures().size());
        assertEquals(2, folder.readMetrics().size());
        assertEquals(Set.of(1, 2), folder.readActivations().stream().map(ActivationRow::epoch).collect(toSet()));

        // resuming from the epoch-1 checkpoint trains epoch 2 again and replaces its rows rather than adding to them
        Comparison.Result resumed = new Comparison(TrainingProgress.silent(), QUIET).run(third);
        assertTrue(resumed.failures().isEmpty());
        assertTrue(folder.isFinished());
        assertSameNumbers(a, folder.readMetrics());
        assertEquals(activations, Files.readString(folder.activationsFile()),
                "an interrupted run's activations.csv is the uninterrupted run's");

        // a finished run is skipped, not trained again
        Comparison.Result again = new Comparison(new CrashAtEpoch(1), QUIET).run(third);
        assertTrue(again.failures().isEmpty());
    }

    private static void assertSameNumbers(List<EpochMetrics> expected, List<EpochMetrics> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            EpochMetrics x = expected.get(i);
            EpochMetrics y = actual.get(i);
            assertEquals(x.learningRate(), y.learningRate());
            assertEquals(x.trainLoss(), y.trainLoss(), "train loss, epoch " + x.epoch());
            assertEquals(x.trainAccuracy(), y.trainAccuracy());
            assertEquals(x.testLoss(), y.testLoss(), "test loss, epoch " + x.epoch());
            assertEquals(x.testAccuracy(), y.testAccuracy());
        }
    }

    /** Simulates a crash when the given epoch has been trained and its results written, before its checkpoint. */
    private record CrashAfterEpoch(int epoch) implements TrainingProgress {
        @Override
        public void epochStarted(String run, int e, int epochs, int batches) {
        }

        @Override
        public void stepDone(double batchLoss, double runningAccuracy, double imagesPerSecond) {
        }

        @Override
        public void epochDone(String run, EpochMetrics metrics) {
            if (metrics.epoch() == epoch) {
                throw new IllegalStateException("simulated crash after epoch " + epoch);
            }
        }
    }

    /** Simulates a crash (say, the machine going down) when the given epoch starts. */
    private record CrashAtEpoch(int epoch) implements TrainingProgress {
        @Override
        public void epochStarted(String run, int e, int epochs, int batches) {
            if (e == epoch) {
                throw new IllegalStateException("simulated crash at epoch " + e);
            }
        }

        @Override
        public void stepDone(double batchLoss, double runningAccuracy, double imagesPerSecond) {
        }

        @Override
        public void epochDone(String run, EpochMetrics metrics) {
        }
    }
}
