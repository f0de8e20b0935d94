package org.bnlab.experiment;

import org.bnlab.backend.BackendReport;
import org.bnlab.data.BatchIterator;
import org.bnlab.io.AtomicFiles;
import org.bnlab.data.Layout;
import org.bnlab.model.Architecture;
import org.bnlab.train.ParameterCount;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunFolders;
import org.bnlab.results.RunLock;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.bnlab.spec.ConfigJson;
import org.bnlab.spec.ModelSpec;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.bnlab.spec.TrainSpec;
import org.bnlab.train.Trainer;
import org.bnlab.train.TrainingJob;
import org.bnlab.train.TrainingOutcome;
import org.bnlab.train.TrainingProgress;
import org.bnlab.train.TrainingRecipe;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs the runs of an {@link ExperimentPlan} one after another into {@code outDir/<run-id>/}. It knows nothing
 * about BatchNorm: what a run is comes from its {@link RunSpec}.
 *
 * <p>Finished runs are skipped, an interrupted run resumes from its last checkpoint (with the numbers an
 * uninterrupted run would have produced), a run folder is reused only for an equal specification, and a run
 * locked by another live process ({@link RunLock}) is left to it. A run that diverges is an outcome; a run that
 * fails for another reason is recorded ({@code failed.txt}) and the grid goes on. Progress: run k of n, each epoch,
 * the time left for the run and the grid.
 */
public final class ExperimentRunner {

    /**
     * What became of one selected run in this call.
     *
     * @param status  its condition afterwards: completed or diverged (trained now or before), running (locked by
     *                another live process and left to it), or failed
     * @param trained whether this call trained it (to its end or its divergence)
     * @param summary its summary when it is finished, else null
     * @param failure the failure message when it failed, else null
     */
    public record RunResult(PlannedRun run, RunStatus status, boolean trained, RunSummary summary, String failure) {

        /** Whether it had finished before this call, which skipped it. */
        public boolean alreadyFinished() {
            return !trained && status.isFinished();
        }
    }

    private final TrainingProgress progress;
    private final PrintStream log;
    private final ExperimentData.Cache data;

    public ExperimentRunner(TrainingProgress progress, PrintStream log) {
        this.progress = progress;
        this.log = log;
        this.data = new ExperimentData.Cache(loaded -> {
            if (!loaded.problems().isEmpty()) {
                log.println(loaded.problems().summary());
            }
        });
    }

    /**
     * Makes sure {@code outDir} can be written (or created), before any data is loaded; creates nothing.
     *
     * @throws IllegalArgumentException naming the folder when it cannot be created or written
     */
    public static void requireWritable(Path outDir) {
        try {
            org.bnlab.io.OutputFolder.requireWritable(outDir);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage() + "; choose another with --out", e);
        }
    }

    /** Checks that {@code outDir} can be written and records the plan there ({@code experiment.json}). */
    public static void prepare(ExperimentPlan plan, Path outDir) {
        requireWritable(outDir);
        RunFolders.create(outDir);
        ExperimentRecord.of(plan).writeTo(outDir);
    }

    /** Runs {@code selected} (runs of {@code plan}) into {@code outDir}, in order. */
    public List<RunResult> run(ExperimentPlan plan, List<PlannedRun> selected, Path outDir) {
        requireWritable(outDir);
        log.println(BackendReport.current().summary());
        // Bad data stops the whole grid with one error before anything is written (not as a failure of each run),
        // and so do batches of few classes (data.batch_classes) that a run's training images cannot form.
        List<PlannedRun> toTrain = selected.stream().filter(r -> !RunState.of(outDir, r).isFinished()).toList();
        if (!toTrain.isEmpty()) {
            data(toTrain.get(0).spec());
        }
        toTrain.stream().filter(r -> r.spec().data().batchClasses() > 0)
                .forEach(r -> data(r.spec()).trainingBatchesPerEpoch(r.spec().train().batchSize()));
        RunFolders.create(outDir);
        ExperimentRecord.of(plan).writeTo(outDir);
        GridProgress grid = new GridProgress(progress, log);
        List<RunResult> results = new ArrayList<>();
        for (int k = 0; k < selected.size(); k++) {
            PlannedRun run = selected.get(k);
            int epochsAfter = selected.subList(k + 1, selected.size()).stream()
                    .mapToInt(r -> r.spec().train().epochs()).sum();
            String position = "[run " + (k + 1) + "/" + selected.size() + "] " + run.id();
            RunFolder source = run.source() == null ? null
                    : ExperimentRecord.folderOf(outDir, plan.runs().get(run.source().index()));
            if (source != null) {
                SourceRun.await(run, source, position, log);
            }
            results.add(runOne(plan, run, ExperimentRecord.folderOf(outDir, run), source, position, grid, epochsAfter));
        }
        return results;
    }

    private RunResult runOne(ExperimentPlan plan, PlannedRun run, RunFolder folder, RunFolder source,
                             String position, GridProgress grid, int epochsAfter) {
        String config = ConfigJson.write(run.spec());
        if (folder.isFinished() && ConfigJson.holds(folder.configFile(), run.spec())) {
            folder.updateConfig(config);
            RunSummary done = folder.readSummary().orElseThrow();
            log.printf("%s: already finished (%s), skipped%n", position, done.status().name().toLowerCase());
            return new RunResult(run, done.status(), false, done, null);
        }
        Optional<RunLock> lock = RunLock.tryAcquire(folder.dir());
        if (lock.isEmpty()) {
            log.printf("%s: locked by %s, left to it%n", position,
                    RunLock.holder(folder.dir()).map(Object::toString).orElse("another process"));
            return new RunResult(run, RunStatus.RUNNING, false, null, null);
        }
        try (RunLock held = lock.get()) {
            if (folder.isFinished() && ConfigJson.holds(folder.configFile(), run.spec())) { // finished meanwhile
                folder.updateConfig(config);
                log.printf("%s: finished by another process, skipped%n", position);
                RunSummary done = folder.readSummary().orElseThrow();
                return new RunResult(run, done.status(), false, done, null);
            }
            String foreign = ConfigJson.whyNotHolding(folder.configFile(), run.spec());
            if (foreign != null) {
                throw new ForeignFolder("run folder " + folder.dir() + " " + foreign
                        + "; choose another --out folder or delete that one");
            }
            folder.writeConfig(config);
            AtomicFiles.writeString(folder.dir().resolve(ExperimentRecord.RUN_FILE),
                    ExperimentRecord.json(ExperimentRecord.runOf(plan.experiment().name(), run)));
            Files.deleteIfExists(folder.failureFile());
            RunSummary summary = train(run, folder, source, position, grid, epochsAfter);
            return new RunResult(run, summary.status(), true, summary, null);
        } catch (org.bnlab.data.DatasetException e) {
            throw e; // bad data is the user's to fix, not one run's failure
        } catch (ForeignFolder e) {
            log.printf("%s: failed: %s%n", position, e.getMessage()); // nothing written into another run's folder
            return new RunResult(run, RunStatus.FAILED, false, null, e.getMessage());
        } catch (RuntimeException | IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.printf("%s: failed: %s%n", position, message);
            try {
                AtomicFiles.writeString(folder.failureFile(), message + "\n");
            } catch (RuntimeException ignored) {
                // the failure is reported on the console and in the result; the folder may be what failed
            }
            return new RunResult(run, RunStatus.FAILED, false, null, message);
        }
    }

    private RunSummary train(PlannedRun run, RunFolder folder, RunFolder source, String position, GridProgress grid,
                             int epochsAfter) {
        long sessionStart = System.nanoTime();
        RunSpec spec = run.spec();
        java.util.OptionalInt resumeAfter = org.bnlab.train.Checkpoint.epochsDone(folder.checkpointFile());
        if (source != null && resumeAfter.isEmpty()) {
            SourceRun.requireFinished(run, source);
        }
        ExperimentData data = data(spec);
        ExperimentData.Description described = data.description();
        data.problems().writeInto(folder.dir());
        TrainingRecipe training = RunNetwork.recipe(spec.train(), spec.seed());
        int batchesPerEpoch = data.trainingBatchesPerEpoch(training.batchSize());
        ComputationGraph fresh = RunNetwork.fresh(spec, RunNetwork.input(spec, described), training, batchesPerEpoch);
        int probeEvery = spec.measure().probeInterval((long) batchesPerEpoch * training.epochs(), training.batchSize());
        long parameters = ParameterCount.trainable(fresh);
        log.printf("%s: %s (%s, %,d trainable parameters; data: %s, %d training and %d %s images, %dx%d, %d classes)%n",
                position, resumeAfter.isPresent() ? "resuming after epoch " + resumeAfter.getAsInt() : "starting",
                modelName(spec.model(), described), parameters,
                described.source(), described.trainImages(), described.evaluationImages(),
                described.evaluationSplit(), described.imageSize(), described.imageSize(), described.classes());
        folder.writeEnvironment(ExperimentRecord.json(RunEnvironment.capture(BackendReport.current(fresh),
                described, parameters, probeEvery, null)));
        grid.runStarted(epochsAfter);
        TrainingOutcome outcome;
        try (BatchIterator trainBatches = data.trainingBatches(training.batchSize(), training.seed());
             BatchIterator evaluationBatches = data.evaluationBatches(spec.eval().batchSize())) {
            java.util.function.Supplier<ComputationGraph> start = source == null ? () -> fresh
                    : () -> SourceRun.startFrom(run, source, fresh, position, log);
            TrainingJob job = new TrainingJob(run.id(), folder, start, trainBatches, evaluationBatches,
                    data.numClasses(), training, org.bnlab.measure.Measurements.recorders(
                            new org.bnlab.measure.RecordingContext(spec, (long) batchesPerEpoch * training.epochs(),
                                    training.batchSize(), data::probeBatch)));
            outcome = new Trainer(grid).train(job);
        }
        // this session's epochs only: a resumed run's earlier epochs ran in another process
        int resumedAfter = resumeAfter.orElse(0);
        double sessionEpochSeconds = outcome.epochs().stream().filter(e -> e.epoch() > resumedAfter)
                .mapToDouble(org.bnlab.results.EpochMetrics::epochSeconds).sum();
        double outsideEpochs = Math.max(0, (System.nanoTime() - sessionStart) / 1e9 - sessionEpochSeconds);
        // again, now that the kernels have chosen their oneDNN implementations
        folder.writeEnvironment(ExperimentRecord.json(RunEnvironment.capture(BackendReport.current(fresh),
                described, parameters, probeEvery, outsideEpochs)));
        RunSummary summary = run.summary(modelName(spec.model(), described), described, outcome);
        folder.writeSummary(summary);
        if (outcome.diverged()) {
            log.printf("%s: diverged in epoch %d (%s)%n", position, outcome.divergedEpoch(), outcome.divergedReason());
        }
        return summary;
    }

    private ExperimentData data(RunSpec spec) {
        return data.get(spec.data(), RunNetwork.batchLayout(spec), spec.seed());
    }

    /** E.g. {@code resnet20} or {@code mlp-784-256-10} ({@link RunNetwork#modelName}). */
    static String modelName(ModelSpec m, ExperimentData.Description data) {
        return RunNetwork.modelName(m, data);
    }

    /** A run folder that holds another run's specification: the run fails without writing into it. */
    private static final class ForeignFolder extends IllegalStateException {
        ForeignFolder(String message) {
            super(message);
        }
    }
}
