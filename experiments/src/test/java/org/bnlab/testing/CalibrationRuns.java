package org.bnlab.testing;

import org.bnlab.experiment.ExperimentRunner;
import org.bnlab.experiment.RunEnvironment;
import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-made finished run folders whose records imply a chosen speed, for the plan's cost estimate: {@code config.json},
 * {@code metrics.csv} (each epoch: the training images at the given rate, then the evaluation images at
 * {@code speedup} times it), {@code environment.json} (the data sizes, the machine, the seconds outside the epochs)
 * and {@code summary.json}. Nothing is trained and nothing is timed.
 */
public final class CalibrationRuns {

    private CalibrationRuns() {
    }

    /** The default specification with {@code path=value} pairs set ({@code "model.depth", "56"}). */
    public static RunSpec spec(String... pathsAndValues) {
        ObjectNode tree = SpecCodec.tree(RunSpec.DEFAULT);
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            SpecCodec.set(tree, pathsAndValues[i], SpecCodec.parseValue(pathsAndValues[i + 1]));
        }
        return SpecCodec.fromJson(tree.toString(), "test");
    }

    /** A run's records; {@code cpu} null means this machine's CPU model (and its core count). */
    public record Run(RunSpec spec, int trainImages, int evaluationImages, double imagesPerSecond, double speedup,
                      int epochs, Integer divergedEpoch, double divergedRate, Double secondsOutsideEpochs,
                      String cpu) {

        /** A run of this machine that completed {@code epochs} epochs. */
        public static Run completed(RunSpec spec, int trainImages, int evaluationImages, double imagesPerSecond,
                                    double speedup, int epochs, Double secondsOutsideEpochs) {
            return new Run(spec, trainImages, evaluationImages, imagesPerSecond, speedup, epochs, null, 0,
                    secondsOutsideEpochs, null);
        }

        /**
         * This run having diverged in the epoch after its {@code epochs}: that epoch's row stopped part-way, a tenth
         * of its images done, at {@code rate} images/s.
         */
        public Run divergedAfter(double rate) {
            return new Run(spec, trainImages, evaluationImages, imagesPerSecond, speedup, epochs, epochs + 1, rate,
                    secondsOutsideEpochs, cpu);
        }

        /** This run on another machine. */
        public Run on(String otherCpu) {
            return new Run(spec, trainImages, evaluationImages, imagesPerSecond, speedup, epochs, divergedEpoch,
                    divergedRate, secondsOutsideEpochs, otherCpu);
        }
    }

    /** Writes {@code run} as the finished folder {@code dir/name}. */
    public static void write(Path dir, String name, Run run) {
        RunFolder folder = RunFolder.at(dir.resolve(name));
        folder.writeConfig(org.bnlab.spec.ConfigJson.write(run.spec()));
        List<EpochMetrics> rows = new ArrayList<>();
        double elapsed = 0;
        double evaluation = run.evaluationImages() / (run.imagesPerSecond() * run.speedup());
        for (int epoch = 1; epoch <= run.epochs(); epoch++) {
            double seconds = run.trainImages() / run.imagesPerSecond() + evaluation;
            elapsed += seconds;
            rows.add(new EpochMetrics(epoch, 0.1, 1.0, 0.5, 1.0, 0.5, seconds, elapsed, run.imagesPerSecond()));
        }
        if (run.divergedEpoch() != null) {
            double seconds = run.trainImages() / 10.0 / run.divergedRate() + evaluation * 3;
            elapsed += seconds;
            rows.add(new EpochMetrics(run.divergedEpoch(), 0.1, Double.NaN, 0.1, Double.NaN, 0.1, seconds, elapsed,
                    run.divergedRate()));
        }
        folder.writeMetrics(rows);
        ObjectNode env = SpecCodec.json().createObjectNode();
        env.putObject("data").put("train_images", run.trainImages()).put("evaluation_images", run.evaluationImages());
        env.put("cpu", run.cpu() == null ? RunEnvironment.cpuModel() : run.cpu());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        if (run.secondsOutsideEpochs() != null) {
            env.put("seconds_outside_epochs", run.secondsOutsideEpochs());
        }
        folder.writeEnvironment(env.toString());
        RunSpec s = run.spec();
        boolean diverged = run.divergedEpoch() != null;
        folder.writeSummary(new RunSummary(name, diverged ? RunStatus.DIVERGED : RunStatus.COMPLETED,
                run.divergedEpoch(), diverged ? "loss became NaN at iteration 37" : null, s.data().dataset(),
                "resnet" + s.model().depth(), s.model().depth(), "A", s.model().normalization().type(), "he",
                s.train().learningRate(), s.train().batchSize(), s.train().epochs(), run.epochs(), s.seed(),
                run.trainImages(), run.evaluationImages(), 0.5, 0.5, elapsed));
    }
}
