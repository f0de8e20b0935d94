package org.bnlab.experiment;

import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.testing.Backend;
import org.bnlab.testing.TinyExperiment;
import org.bnlab.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GroupNorm, LayerNorm and InstanceNorm through the runner on the tiny generated CIFAR-10 (ResNet-8, 2 epochs): each
 * trains, records in environment.json which code computes it, and a run crashed after its first epoch resumes from
 * its checkpoint to exactly the uninterrupted run's numbers.
 */
@ExtendWith(Backend.class)
class StatisticsFreeNormalizersRunTest {

    @Test
    void eachTrainsRecordsItsLayerAndResumesBitIdentically(@TempDir Path tmp) throws Exception {
        ExperimentPlan plan = ExperimentPlan.expand(TinyExperiment.builder("norms").question("Do they run?")
                .zip(Map.of("model.normalization", List.of("groupnorm", "layernorm", "instancenorm"))).seeds(7)
                .build());
        assertEquals(3, plan.runs().size());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Path uninterrupted = tmp.resolve("uninterrupted");
        for (ExperimentRunner.RunResult r : new ExperimentRunner(TrainingProgress.silent(), quiet)
                .run(plan, plan.runs(), uninterrupted)) {
            assertTrue(r.trained(), r.failure());
        }
        Path crashed = tmp.resolve("crashed");
        assertTrue(new ExperimentRunner(new CrashAtEpochStart(2), quiet).run(plan, plan.runs(), crashed).stream()
                .allMatch(r -> r.status() == RunStatus.FAILED));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        for (ExperimentRunner.RunResult r : new ExperimentRunner(TrainingProgress.silent(), log)
                .run(plan, plan.runs(), crashed)) {
            assertTrue(r.trained(), r.failure());
        }
        for (PlannedRun run : plan.runs()) {
            assertTrue(bytes.toString(StandardCharsets.UTF_8).contains(run.id() + ": resuming after epoch 1"));
            RunFolder a = RunFolder.at(uninterrupted.resolve(run.id()));
            RunFolder b = RunFolder.at(crashed.resolve(run.id()));
            List<EpochMetrics> expected = a.readMetrics();
            assertEquals(2, expected.size());
            ExperimentRunnerTest.assertSameNumbers(expected, b.readMetrics());
            String environment = Files.readString(a.dir().resolve("environment.json"));
            assertTrue(environment.contains("\"GroupNormLayer\" : \"none\""), environment);
            assertEquals(run.spec().model().normalization().type(), a.readSummary().orElseThrow().normalization());
        }
    }

    /** A crash (the machine going down) when the given epoch starts. */
    private record CrashAtEpochStart(int epoch) implements TrainingProgress {
        @Override
        public void epochStarted(String run, int e, int epochs, int batches) {
            if (e == epoch) {
                throw new IllegalStateException("simulated crash at the start of epoch " + e);
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
