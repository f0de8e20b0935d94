package org.bnlab.experiment;

import org.bnlab.backend.BackendReport;
import org.bnlab.data.BatchIterator;
import org.bnlab.io.AtomicFiles;
import org.bnlab.data.Layout;
import org.bnlab.model.Architecture;
import org.bnlab.model.CifarResNet;
import org.bnlab.model.Mlp;
import org.bnlab.model.MlpSpec;
import org.bnlab.model.Normalization;
import org.bnlab.model.ParameterCount;
import org.bnlab.model.ResNetSpec;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunFolders;
import org.bnlab.results.RunLock;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.bnlab.spec.ConfigJson;
import org.bnlab.spec.ModelSpec;
import org.bnlab.spec.NormSpec;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.SpecCodec;
import org.bnlab.spec.TrainSpec;
import org.bnlab.train.Optimizer;
import org.bnlab.train.SgdMomentum;
import org.bnlab.train.StepSchedule;
import org.bnlab.train.Trainer;
import org.bnlab.train.TrainingJob;
import org.bnlab.train.TrainingOutcome;
import org.bnlab.train.TrainingProgress;
import org.bnlab.train.TrainingSpec;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.bnlab.model.ParameterGroups;
import org.bnlab.spec.GroupSpec;
import org.bnlab.spec.GroupsSpec;
import org.bnlab.spec.PhasesSpec;
import org.bnlab.train.Phased;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

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
        // Bad data stops the whole grid with one error before anything is written (not as a failure of each run).
        Optional<PlannedRun> firstToTrain = selected.stream()
                .filter(r -> !RunState.of(outDir, r).isFinished()).findFirst();
        firstToTrain.ifPresent(r -> data(r.spec()));
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
                awaitSource(run, source, position);
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
            requireFinishedSource(run, source);
        }
        ExperimentData data = data(spec);
        ExperimentData.Description described = data.description();
        data.problems().writeInto(folder.dir());
        TrainingSpec training = trainingSpec(spec.train(), spec.seed());
        int batchesPerEpoch = (described.trainImages() + training.batchSize() - 1) / training.batchSize();
        ComputationGraph fresh = newNetwork(spec, described, training, batchesPerEpoch);
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
                    : () -> startFrom(run, source, fresh, position);
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

    /**
     * Waits while another live process trains the run that {@code run} starts from (another of {@code --workers}),
     * so that a target is not tried before its source; sources never wait for their targets.
     */
    private void awaitSource(PlannedRun run, RunFolder source, String position) {
        boolean said = false;
        while (RunState.of(source).status() == RunStatus.RUNNING) {
            if (!said) {
                log.printf("%s: waiting for run %s, which it starts from and another process trains%n", position,
                        run.source().id());
                said = true;
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Makes sure the run that {@code run} starts from has finished with a network to start from.
     *
     * @throws IllegalStateException with one line naming the source, its state and how to train it
     */
    static void requireFinishedSource(PlannedRun run, RunFolder source) {
        RunState state = RunState.of(source);
        PlannedRun.Source s = run.source();
        if (state.status() != RunStatus.COMPLETED) {
            throw new IllegalStateException("run " + run.id() + " starts from run " + s.id() + " (index " + s.index()
                    + "), which is " + state + (state.status() == RunStatus.DIVERGED
                    ? ": a diverged run leaves no network to start from"
                    : "; train it first (bnlab run FILE --index " + s.index() + ")"));
        }
        if (!Files.isRegularFile(source.checkpointFile())) {
            throw new IllegalStateException("run " + run.id() + " starts from run " + s.id() + ", whose folder "
                    + source.dir() + " has no checkpoint.zip (deleted?); run it again");
        }
    }

    /** {@code fresh} with the parameters of {@code run}'s source copied into it, as {@code model.init_from} says. */
    private ComputationGraph startFrom(PlannedRun run, RunFolder source, ComputationGraph fresh, String position) {
        ComputationGraph trained = org.bnlab.train.ParameterTransfer.trainedNetwork(source.checkpointFile());
        boolean batchNormOnly = org.bnlab.spec.InitFromSpec.BATCHNORM.equals(run.source().parameters());
        List<String> layers = org.bnlab.train.ParameterTransfer.copy(trained, fresh, batchNormOnly);
        log.printf("%s: starting from run %s: %s parameters of %d layers copied%n", position, run.source().id(),
                run.source().parameters(), layers.size());
        return fresh;
    }

    private ExperimentData data(RunSpec spec) {
        return data.get(spec.data(), batchLayout(spec), spec.seed());
    }

    /**
     * The layout of the batches: the specification's for a ResNet; always NCHW for an MLP, which flattens its input
     * channel-major ({@link Mlp}), so that its function does not depend on {@code execution.layout}.
     */
    public static Layout batchLayout(RunSpec spec) {
        return spec.model().architecture() == Architecture.MLP ? Layout.NCHW : spec.execution().layout();
    }

    /** The model builder's description of the specification's network for a data set with {@code numClasses}. */
    public static ResNetSpec resNetSpec(RunSpec spec, int numClasses) {
        ModelSpec m = spec.model();
        NormSpec.BatchNorm bn = m.normalization() instanceof NormSpec.BatchNorm b ? b : NormSpec.BatchNorm.DEFAULT;
        return new ResNetSpec(m.depth(), numClasses, spec.data().imageSize(),
                m.normalization().isBatchNorm() ? Normalization.BATCHNORM : Normalization.NONE, m.init(),
                m.shortcut(), bn.decay(), bn.epsilon(),
                spec.execution().layout() == org.bnlab.data.Layout.NHWC ? CNN2DFormat.NHWC : CNN2DFormat.NCHW,
                spec.execution().kernels());
    }

    /**
     * The MLP builder's description of the specification's network for images of {@code imageSize} x
     * {@code imageSize} x {@code channels} and {@code numClasses} classes.
     */
    public static MlpSpec mlpSpec(RunSpec spec, int imageSize, int channels, int numClasses) {
        ModelSpec m = spec.model();
        NormSpec.BatchNorm bn = m.normalization() instanceof NormSpec.BatchNorm b ? b : NormSpec.BatchNorm.DEFAULT;
        return new MlpSpec(imageSize, imageSize, channels, m.hidden(), numClasses,
                m.normalization().isBatchNorm() ? Normalization.BATCHNORM : Normalization.NONE, bn.decay(),
                bn.epsilon());
    }

    /** The trainer's recipe for a specification's training part. */
    public static TrainingSpec trainingSpec(TrainSpec t, long seed) {
        return new TrainingSpec(t.learningRate(), t.momentum(), t.weightDecay(), t.batchSize(), t.epochs(),
                t.schedule().milestones(), t.schedule().factor(), seed, t.divergenceFactor(),
                t.schedule().warmupIterations(), t.schedule().warmupLearningRate(),
                org.bnlab.spec.ScheduleSpec.LINEAR.equals(t.schedule().warmupType()));
    }

    /** The ResNet of {@code model}, freshly initialised, trained with SGD and classical momentum. */
    static ComputationGraph newNetwork(ResNetSpec model, TrainingSpec training, int batchesPerEpoch) {
        return CifarResNet.build(model, optimiser(Optimizer.SGD, training, batchesPerEpoch), training.weightDecay(),
                training.seed());
    }

    /**
     * The specification's network for the described data, freshly initialised, with its optimiser and the parameter
     * groups' own settings ({@code train.groups}, applied by {@link ParameterGroups} after the kernel layers are in).
     */
    static ComputationGraph newNetwork(RunSpec spec, ExperimentData.Description data, TrainingSpec training,
                                       int batchesPerEpoch) {
        IUpdater optimiser = optimiser(spec.train().optimizer(), training, batchesPerEpoch);
        ComputationGraphConfiguration conf = switch (spec.model().architecture()) {
            case RESNET -> CifarResNet.configuration(resNetSpec(spec, data.classes()), optimiser,
                    training.weightDecay(), training.seed());
            case MLP -> Mlp.configuration(mlpSpec(spec, data.imageSize(), data.channels(), data.classes()),
                    optimiser, training.weightDecay(), training.seed());
        };
        GroupsSpec groups = spec.train().groups();
        PhasesSpec phases = spec.train().phases();
        ParameterGroups.Group batchNorm = group(groups.batchnorm(), spec.train().optimizer(), training,
                batchesPerEpoch);
        ParameterGroups.Group weights = group(groups.weights(), spec.train().optimizer(), training, batchesPerEpoch);
        if (phases != null) {
            batchNorm = phased(batchNorm, phases, PhasesSpec.BATCHNORM, optimiser);
            weights = phased(weights, phases, PhasesSpec.WEIGHTS, optimiser);
        }
        ParameterGroups.apply(conf, batchNorm, weights);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /**
     * One group's settings for the network: its own update rule when it has its own learning rate or schedule (an
     * exponential schedule: {@code lr * decay^epoch}; otherwise the shared step schedule from its learning rate), its
     * own weight decay when it sets one.
     */
    static ParameterGroups.Group group(GroupSpec g, Optimizer kind, TrainingSpec training, int batchesPerEpoch) {
        if (!g.trainable()) {
            return new ParameterGroups.Group(false, null, null);
        }
        IUpdater updater = null;
        double lr = g.learningRate() != null ? g.learningRate() : training.learningRate();
        if (g.schedule() != null) {
            updater = optimiser(kind, new ExponentialSchedule(ScheduleType.EPOCH, lr, g.schedule().decayPerEpoch()),
                    training.momentum());
        } else if (g.learningRate() != null) {
            updater = optimiser(kind, training.withLearningRate(lr), batchesPerEpoch);
        }
        return new ParameterGroups.Group(true, updater, g.weightDecay());
    }

    /** A trainable group that updates only in its own phase ({@link Phased}). */
    private static ParameterGroups.Group phased(ParameterGroups.Group group, PhasesSpec phases, String name,
                                                IUpdater shared) {
        IUpdater inner = group.updater() != null ? group.updater() : shared;
        return new ParameterGroups.Group(true, new Phased(inner.clone(), phases.alternateEveryEpochs(),
                phases.phaseOf(name), phases.order().size()), group.weightDecay());
    }

    /**
     * The update rule with the run's learning-rate schedule: {@link SgdMomentum} with the recipe's momentum, or DL4J's
     * {@link Adam} with beta1 0.9, beta2 0.999 and epsilon 1e-8 (Kingma and Ba 2015).
     */
    static IUpdater optimiser(Optimizer kind, TrainingSpec training, int batchesPerEpoch) {
        return optimiser(kind, StepSchedule.of(training, batchesPerEpoch), training.momentum());
    }

    private static IUpdater optimiser(Optimizer kind, ISchedule schedule, double momentum) {
        return switch (kind) {
            case SGD -> new SgdMomentum(schedule, momentum);
            case ADAM -> Adam.builder().learningRateSchedule(schedule).beta1(0.9).beta2(0.999).epsilon(1e-8).build();
        };
    }

    /** E.g. {@code resnet20} or {@code mlp-784-256-10}. */
    static String modelName(ModelSpec m, ExperimentData.Description data) {
        return switch (m.architecture()) {
            case RESNET -> "resnet" + m.depth();
            case MLP -> MlpSpec.modelName(data.imageSize() * data.imageSize() * data.channels(), m.hidden(),
                    data.classes());
        };
    }

    /** A run folder that holds another run's specification: the run fails without writing into it. */
    private static final class ForeignFolder extends IllegalStateException {
        ForeignFolder(String message) {
            super(message);
        }
    }
}
