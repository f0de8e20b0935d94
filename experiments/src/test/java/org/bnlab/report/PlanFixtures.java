package org.bnlab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.ExperimentRecord;
import org.bnlab.experiment.ExperimentRunner;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.io.AtomicFiles;
import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.bnlab.spec.RunSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * Hand-made results folders in the layout {@code bnlab run} writes ({@code experiment.json}, and per run
 * {@code config.json}, {@code run.json}, {@code metrics.csv}, {@code summary.json}), for plans expanded from real
 * experiments, with the test accuracies the test chooses. Nothing is trained.
 */
final class PlanFixtures {

    private static final ObjectMapper SNAKE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private PlanFixtures() {
    }

    /** Records the plan as the runner does before its first run. */
    static void experiment(Path dir, ExperimentPlan plan) {
        ExperimentRecord.of(plan).writeTo(dir);
    }

    /** A run that completed all the epochs given (epoch k's test accuracy is {@code accuracies[k-1]}). */
    static void completed(Path dir, ExperimentPlan plan, PlannedRun run, double... accuracies) {
        write(dir, plan, run, RunStatus.COMPLETED, null, RunFixtures.epochs(accuracies));
    }

    /** A run that diverged in the epoch after the ones given (in epoch 1 when none are given). */
    static void diverged(Path dir, ExperimentPlan plan, PlannedRun run, double... accuracies) {
        write(dir, plan, run, RunStatus.DIVERGED, accuracies.length + 1, RunFixtures.epochs(accuracies));
    }

    private static void write(Path dir, ExperimentPlan plan, PlannedRun run, RunStatus status, Integer divergedEpoch,
                              List<EpochMetrics> epochs) {
        RunFolder folder = RunFolder.at(dir.resolve(run.id()));
        folder.writeConfig(org.bnlab.spec.ConfigJson.write(run.spec()));
        AtomicFiles.writeString(folder.dir().resolve(ExperimentRecord.RUN_FILE),
                json(new ExperimentRecord.Run(ExperimentRecord.SCHEMA_VERSION, plan.experiment().name(), run.index(),
                        run.id(), run.hash(), run.assignments())));
        if (!epochs.isEmpty()) {
            folder.writeMetrics(epochs);
        }
        RunSpec s = run.spec();
        Double last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1).testAccuracy();
        Double best = epochs.stream().map(EpochMetrics::testAccuracy).max(Double::compare).orElse(null);
        folder.writeSummary(new RunSummary(run.id(), status, divergedEpoch,
                divergedEpoch == null ? null : "loss became NaN at iteration 37", s.data().dataset(),
                "resnet" + s.model().depth(), s.model().depth(), s.model().shortcut().id(),
                s.model().normalization().type(), s.model().init().id(), s.train().learningRate(),
                s.train().batchSize(), s.train().epochs(), epochs.size(), s.seed(), 10_000, 2_000, last, best,
                10.0 * epochs.size() + 1.5));
    }

    private static String json(Object value) {
        try {
            return SNAKE.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
