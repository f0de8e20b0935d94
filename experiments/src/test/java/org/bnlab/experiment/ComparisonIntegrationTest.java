package org.bnlab.experiment;

import org.bnlab.data.Layout;
import org.bnlab.model.Initialization;
import org.bnlab.model.KernelPath;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.bnlab.model.Normalization;
import org.bnlab.model.ResNetSpec;
import org.bnlab.results.EpochMetrics;
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

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end on real CIFAR-10 (JPEG folders in ../shared): a small ResNet (n = 1, 8 layers) with and without BN
 * learns, the same seed gives the same numbers, and an interrupted run resumes to exactly the same numbers.
 */
@ExtendWith(Backend.class)
class ComparisonIntegrationTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path tmp;

    private Comparison.Plan plan(Path out, int epochs, int trainPerClass, List<Variant> variants) {
        DataOptions data = new DataOptions("cifar10", SharedData.datasets(), 32, trainPerClass, null,
                trainPerClass / 2, 0, false, Layout.NHWC);
        // the path users run by default: NHWC on bnlab's oneDNN kernels
        ResNetSpec model = ResNetSpec.resnet20(10).withDepth(8).withFormat(CNN2DFormat.NHWC)
                .withKernels(KernelPath.ONEDNN);
        TrainingSpec training = TrainingSpec.paper(epochs, 7).withLearningRate(0.05);
        return new Comparison.Plan(out, data, model, training, variants, 0.2);
    }

    @Test
    void smallResNetLearnsWithAndWithoutBatchNorm() {
        Path out = tmp.resolve("cmp");
        List<Variant> variants = List.of(new Variant(Normalization.BATCHNORM, Initialization.HE, 0.05),
                new Variant(Normalization.NONE, Initialization.ZERO_RESIDUAL, 0.05));
        Comparison.Result result = new Comparison(TrainingProgress.silent(), QUIET).run(plan(out, 3, 200, variants));

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
        }
        assertTrue(Files.exists(out.resolve("comparison.csv")));
        assertTrue(Files.exists(out.resolve("comparison.md")));
        assertEquals(2, result.report().orElseThrow().perRun().rowCount());
    }

    @Test
    void sameSeedSameNumbersAndAnInterruptedRunResumesExactly() {
        List<Variant> bn = List.of(new Variant(Normalization.BATCHNORM, Initialization.HE, 0.05));
        Comparison.Result first = new Comparison(TrainingProgress.silent(), QUIET).run(plan(tmp.resolve("a"), 2, 40, bn));
        Comparison.Result second = new Comparison(TrainingProgress.silent(), QUIET).run(plan(tmp.resolve("b"), 2, 40, bn));
        String run = first.runs().get(0).run();
        List<EpochMetrics> a = RunFolder.at(tmp.resolve("a").resolve(run)).readMetrics();
        List<EpochMetrics> b = RunFolder.at(tmp.resolve("b").resolve(run)).readMetrics();
        assertSameNumbers(a, b);

        // interrupt a third copy when its second epoch starts, then rerun the same plan: it resumes
        Comparison.Plan third = plan(tmp.resolve("c"), 2, 40, bn);
        Comparison interrupted = new Comparison(new CrashAtEpoch(2), QUIET);
        Comparison.Result crashed = interrupted.run(third);
        assertEquals(1, crashed.failures().size(), "the crash is reported as a failed run");
        RunFolder folder = RunFolder.at(tmp.resolve("c").resolve(run));
        assertFalse(folder.isFinished());
        assertEquals(1, folder.readMetrics().size());
        assertTrue(Files.exists(folder.checkpointFile()));

        Comparison.Result resumed = new Comparison(TrainingProgress.silent(), QUIET).run(third);
        assertTrue(resumed.failures().isEmpty());
        assertTrue(folder.isFinished());
        assertSameNumbers(a, folder.readMetrics());

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
