package org.bnlab.experiment;

import org.bnlab.measure.LandscapeMeasurement;
import org.bnlab.results.RunFolder;
import org.bnlab.testing.Backend;
import org.bnlab.testing.TinyExperiment;
import org.bnlab.train.ParameterTransfer;
import org.bnlab.train.TrainingProgress;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The landscape measurement through the runner on the tiny generated CIFAR-10, BN network, both kernel paths:
 * training with {@code measure.landscape_every: 1} is bit-identical to training without it (metrics.csv without
 * its timing columns, the final parameters and updater state), and {@code landscape.csv} holds every step.
 */
@ExtendWith(Backend.class)
class LandscapeRunTest {

    @TempDir
    Path tmp;

    private RunFolder train(String kernels, String every) {
        ExperimentPlan plan = ExperimentPlan.expand(TinyExperiment.builder("landscape")
                .set("execution.kernels", kernels).set("measure.landscape_every", every).seeds(3).build());
        Path out = tmp.resolve(kernels + "-" + every);
        List<ExperimentRunner.RunResult> results = new ExperimentRunner(TrainingProgress.silent(),
                new PrintStream(OutputStream.nullOutputStream())).run(plan, plan.runs(), out);
        assertEquals(1, results.size());
        return ExperimentRecord.folderOf(out, plan.runs().get(0));
    }

    private static List<String> withoutTiming(RunFolder folder) throws Exception {
        return Files.readAllLines(folder.metricsFile()).stream()
                .map(line -> String.join(",", List.of(line.split(",")).subList(0, 6))).toList();
    }

    @Test
    void trainingWithTheMeasurementIsBitIdenticalToTrainingWithout() throws Exception {
        for (String kernels : List.of("dl4j", "onednn")) {
            RunFolder off = train(kernels, "0");
            RunFolder on = train(kernels, "1");
            assertFalse(Files.exists(LandscapeMeasurement.RECORDS.in(off)), "off by default");
            assertEquals(withoutTiming(off), withoutTiming(on), kernels);
            ComputationGraph a = ParameterTransfer.trainedNetwork(off.checkpointFile());
            ComputationGraph b = ParameterTransfer.trainedNetwork(on.checkpointFile());
            assertEquals(a.params(), b.params(), kernels);
            assertEquals(a.getUpdater().getStateViewArray(), b.getUpdater().getStateViewArray(), kernels);
            List<LandscapeMeasurement.Row> rows = LandscapeMeasurement.RECORDS.read(on);
            // 40 images in batches of 16: 3 steps an epoch, 2 epochs, 4 step sizes each
            assertEquals(6 * 4, rows.size());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), rows.stream().map(LandscapeMeasurement.Row::iteration)
                    .distinct().toList());
            assertTrue(rows.stream().allMatch(r -> r.beta() > 0 && r.epoch() == (r.iteration() < 3 ? 1 : 2)));
        }
    }
}
