package org.bnlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bnlab.results.RunStatus;
import org.bnlab.testing.Backend;
import org.bnlab.testing.TinyExperiment;
import org.bnlab.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one answer of {@code lr-sweep} that is robust on tiny data (Ioffe and Szegedy 2015, 4.2): at learning rate 1
 * the ResNet without BN and with He initialisation diverges while the one with BN trains. The real experiment file
 * (its short version) runs end to end, narrowed to that rate on a generated CIFAR-10 of 40 images.
 */
@ExtendWith(Backend.class)
class LrSweepAnswerTest {

    @TempDir
    Path tmp;

    @Test
    void atLearningRateOneOnlyBatchNormTrains() {
        Experiment sweep = ExperimentFiles.load(ExperimentCatalogTest.experimentsFolder().resolve("lr-sweep-short.yaml"));
        List<String> sets = new ArrayList<>();
        TinyExperiment.baseLines().stream().map(String::strip).map(l -> l.replaceFirst(": ", "="))
                .filter(l -> !l.startsWith("train.learning_rate")).forEach(sets::add);
        sets.add("train.learning_rate=1");
        ExperimentPlan plan = ExperimentPlan.expand(sweep, sets, List.of("seed=1,2"));
        assertEquals(6, plan.runs().size(), "3 arms x 2 seeds at one rate");

        List<ExperimentRunner.RunResult> results = new ExperimentRunner(TrainingProgress.silent(),
                new PrintStream(new ByteArrayOutputStream())).run(plan, plan.runs(), tmp.resolve("out"));
        for (ExperimentRunner.RunResult result : results) {
            String arm = result.run().assignments().get("model.normalization") + "/"
                    + result.run().assignments().get("model.init");
            assertTrue(result.trained(), arm + ": " + result.failure());
            if (arm.equals("none/he")) {
                assertEquals(RunStatus.DIVERGED, result.summary().status(), arm + " must diverge at lr 1");
            } else if (arm.startsWith("batchnorm")) {
                assertEquals(RunStatus.COMPLETED, result.summary().status(), arm + " must train at lr 1");
                assertTrue(result.summary().finalTestAccuracy() != null, arm);
            }
        }
    }
}
