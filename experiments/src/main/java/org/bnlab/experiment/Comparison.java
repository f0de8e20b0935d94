package org.bnlab.experiment;

import org.bnlab.backend.BackendReport;
import org.bnlab.data.BatchIterator;
import org.bnlab.io.OutputFolder;
import org.bnlab.measure.ActivationStatsListener;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.Initialization;
import org.bnlab.model.Normalization;
import org.bnlab.model.ParameterCount;
import org.bnlab.model.ResNetSpec;
import org.bnlab.report.ComparisonReport;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.bnlab.train.SgdMomentum;
import org.bnlab.train.StepSchedule;
import org.bnlab.train.Trainer;
import org.bnlab.train.TrainingJob;
import org.bnlab.train.TrainingOutcome;
import org.bnlab.train.TrainingProgress;
import org.bnlab.train.TrainingSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the arms of a comparison one after another into {@code outDir/<run-id>/}, then builds the comparison
 * report. Finished runs are skipped and an interrupted one resumes, so rerunning the same command after a crash
 * finishes the job. A diverged run is an outcome and the comparison goes on; a run that fails for another reason
 * is reported and the others still run.
 */
public final class Comparison {

    /**
     * @param outDir         where the run folders and the report go
     * @param data           the images
     * @param model          the network; each variant sets its normalization and initialisation
     * @param training       the recipe; each variant sets its learning rate
     * @param variants       the arms
     * @param targetAccuracy the accuracy whose epochs and seconds to reach the report shows
     * @param activationStatsEvery training iterations between snapshots of per-layer activation statistics
     *                       (each run's {@code activations.csv}); 0 records none
     */
    public record Plan(Path outDir, DataOptions data, ResNetSpec model, TrainingSpec training, List<Variant> variants,
                       double targetAccuracy, int activationStatsEvery) {
        public Plan {
            ActivationStatsListener.checkInterval(activationStatsEvery);
            variants = List.copyOf(variants);
            if (variants.isEmpty()) {
                throw new IllegalArgumentException("a comparison needs at least one variant");
            }
            if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
                throw new IllegalArgumentException("target accuracy must be in (0, 1], got " + targetAccuracy);
            }
        }
    }

    /**
     * What happened: the summaries of the runs that finished, the report (absent when no run has finished), and
     * the runs that failed.
     */
    public record Result(List<RunSummary> runs, Optional<ComparisonReport> report, List<String> failures) {
    }

    /**
     * The main job: at one learning rate, BN; no BN with He initialisation (which fails to train); no BN with
     * zero-initialised residual branches (the fair no-BN baseline).
     */
    public static List<Variant> bnVersusNoBn(double learningRate) {
        return List.of(
                new Variant(Normalization.BATCHNORM, Initialization.HE, learningRate),
                new Variant(Normalization.NONE, Initialization.HE, learningRate),
                new Variant(Normalization.NONE, Initialization.ZERO_RESIDUAL, learningRate));
    }

    private final TrainingProgress progress;
    private final PrintStream log;

    public Comparison(TrainingProgress progress, PrintStream log) {
        this.progress = progress;
        this.log = log;
    }

    public Result run(Plan plan) {
        OutputFolder.requireWritable(plan.outDir()); // before the slow part: a bad --out fails at once
        ExperimentData data = ExperimentData.load(plan.data(), plan.training().seed());
        ExperimentData.Description described = data.description();
        log.println(BackendReport.current().summary());
        log.printf("data: %s, %d training and %d %s images, %dx%d, %d classes%n", described.source(),
                described.trainImages(), described.evaluationImages(), described.evaluationSplit(),
                described.imageSize(), described.imageSize(), described.classes());
        if (!data.problems().isEmpty()) {
            log.println(data.problems().summary());
        }
        List<RunSummary> summaries = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Variant variant : plan.variants()) {
            ResNetSpec model = plan.model().withNormalization(variant.normalization()).withInit(variant.init())
                    .withNumClasses(data.numClasses());
            TrainingSpec training = plan.training().withLearningRate(variant.learningRate());
            String run = RunPlan.runId(model, variant, training.seed());
            try {
                summaries.add(runOne(plan.outDir(), run, data, model, training, plan.activationStatsEvery()));
            } catch (RuntimeException e) {
                String message = "run " + run + " failed: " + e.getMessage();
                log.println(message);
                failures.add(message);
            }
        }
        if (RunFolder.findFinished(plan.outDir()).isEmpty()) {
            return new Result(summaries, Optional.empty(), failures);
        }
        ComparisonReport report = ComparisonReport.build(plan.outDir(), plan.targetAccuracy());
        report.writeTo(plan.outDir());
        return new Result(summaries, Optional.of(report), failures);
    }

    private RunSummary runOne(Path outDir, String run, ExperimentData data, ResNetSpec model, TrainingSpec training,
                              int activationStatsEvery) {
        RunFolder folder = RunFolder.at(outDir.resolve(run));
        ComputationGraph fresh = newNetwork(model, training, batchesPerEpoch(data, training));
        RunPlan plan = new RunPlan(run, data.description(), model, ParameterCount.trainable(fresh), training,
                activationStatsEvery);
        String config = JsonText.of(plan);
        requireSameConfiguration(folder, config);
        if (folder.isFinished()) {
            RunSummary done = folder.readSummary().orElseThrow();
            log.printf("%s: already finished (%s), skipped%n", run, done.status().name().toLowerCase());
            return done;
        }
        folder.writeConfig(config);
        data.problems().writeInto(folder.dir());
        folder.writeEnvironment(JsonText.of(RunEnvironment.capture(BackendReport.current(fresh))));
        boolean resuming = Files.exists(folder.checkpointFile());
        log.printf("%s: %s (%,d trainable parameters)%n", run, resuming ? "resuming" : "starting",
                plan.trainableParameters());

        TrainingOutcome outcome;
        try (BatchIterator trainBatches = data.trainingBatches(training.batchSize(), training.seed());
             BatchIterator evaluationBatches = data.evaluationBatches(256)) {
            TrainingJob job = new TrainingJob(run, folder, () -> fresh, trainBatches, evaluationBatches,
                    data.numClasses(), training, activationStatsEvery);
            outcome = new Trainer(progress).train(job);
        }
        // again, now that the kernels have chosen their oneDNN implementations
        folder.writeEnvironment(JsonText.of(RunEnvironment.capture(BackendReport.current(fresh))));
        RunSummary summary = summarize(run, data, model, training, outcome);
        folder.writeSummary(summary);
        if (outcome.diverged()) {
            log.printf("%s: diverged in epoch %d (%s)%n", run, outcome.divergedEpoch(), outcome.divergedReason());
        }
        return summary;
    }

    private static int batchesPerEpoch(ExperimentData data, TrainingSpec training) {
        int images = data.description().trainImages();
        return (images + training.batchSize() - 1) / training.batchSize();
    }

    static ComputationGraph newNetwork(ResNetSpec model, TrainingSpec training, int batchesPerEpoch) {
        SgdMomentum optimiser = new SgdMomentum(StepSchedule.of(training, batchesPerEpoch), training.momentum());
        return CifarResNet.build(model, optimiser, training.weightDecay(), training.seed());
    }

    private static void requireSameConfiguration(RunFolder folder, String config) {
        Path existing = folder.configFile();
        if (!Files.exists(existing)) {
            return;
        }
        try {
            if (!Files.readString(existing).equals(config)) {
                throw new IllegalStateException("run folder " + folder.dir() + " was made with a different "
                        + "configuration; choose another --out folder or delete that one");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RunSummary summarize(String run, ExperimentData data, ResNetSpec model, TrainingSpec training,
                                        TrainingOutcome outcome) {
        ExperimentData.Description d = data.description();
        return new RunSummary(run, outcome.diverged() ? RunStatus.DIVERGED : RunStatus.COMPLETED,
                outcome.divergedEpoch(), outcome.divergedReason(), d.dataset(), model.modelName(), model.depth(),
                model.shortcut().id(), model.normalization().id(), model.init().id(), training.learningRate(),
                training.batchSize(), training.epochs(), outcome.epochsCompleted(), training.seed(), d.trainImages(),
                d.evaluationImages(), outcome.finalTestAccuracy(), outcome.bestTestAccuracy(), outcome.totalSeconds());
    }
}
