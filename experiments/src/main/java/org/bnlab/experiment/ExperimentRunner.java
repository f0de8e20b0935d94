package org.bnlab.experiment;

import org.bnlab.backend.BackendReport;
import org.bnlab.data.BatchIterator;
import org.bnlab.io.AtomicFiles;
import org.bnlab.data.Layout;
import org.bnlab.model.Architecture;
import org.bnlab.train.ParameterCount;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunLock;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
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

    /** What happened to each selected run. */
    public enum Fate { TRAINED, ALREADY_FINISHED, LOCKED, FAILED }

    /** The outcome of one run: its fate, its summary when it has one, the failure message when it failed. */
    public record RunResult(PlannedRun run, Fate fate, RunSummary summary, String failure) {
    }

    private final TrainingProgress progress;
    private final PrintStream log;
    private DataKey loadedKey;
    private ExperimentData loaded;

    public ExperimentRunner(TrainingProgress progress, PrintStream log) {
        this.progress = progress;
        this.log = log;
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
        createFolder(outDir);
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
        createFolder(outDir);
        ExperimentRecord.of(plan).writeTo(outDir);
        GridProgress grid = new GridProgress(progress, log);
        List<RunResult> results = new ArrayList<>();
        for (int k = 0; k < selected.size(); k++) {
            PlannedRun run = selected.get(k);
            int epochsAfter = selected.subList(k + 1, selected.size()).stream()
                    .mapToInt(r -> r.spec().train().epochs()).sum();
            String position = "[run " + (k + 1) + "/" + selected.size() + "] " + run.id();
            RunFolder source = run.source() == null ? null
                    : folderFor(outDir, plan.runs().get(run.source().index()));
            if (source != null) {
                awaitSource(run, source, position);
            }
            results.add(runOne(plan, run, folderFor(outDir, run), source, position, grid, epochsAfter));
        }
        return results;
    }

    private RunResult runOne(ExperimentPlan plan, PlannedRun run, RunFolder folder, RunFolder source,
                             String position, GridProgress grid, int epochsAfter) {
        String config = configJson(run.spec());
        if (folder.isFinished() && holdsSpec(folder, run.spec())) {
            updateConfig(folder, config);
            RunSummary done = folder.readSummary().orElseThrow();
            log.printf("%s: already finished (%s), skipped%n", position, done.status().name().toLowerCase());
            return new RunResult(run, Fate.ALREADY_FINISHED, done, null);
        }
        Optional<RunLock> lock = RunLock.tryAcquire(folder.dir());
        if (lock.isEmpty()) {
            log.printf("%s: locked by %s, left to it%n", position,
                    RunLock.holder(folder.dir()).map(Object::toString).orElse("another process"));
            return new RunResult(run, Fate.LOCKED, null, null);
        }
        try (RunLock held = lock.get()) {
            if (folder.isFinished() && holdsSpec(folder, run.spec())) { // finished by another process meanwhile
                updateConfig(folder, config);
                log.printf("%s: finished by another process, skipped%n", position);
                return new RunResult(run, Fate.ALREADY_FINISHED, folder.readSummary().orElseThrow(), null);
            }
            requireSameSpec(folder, run.spec());
            folder.writeConfig(config);
            AtomicFiles.writeString(folder.dir().resolve(ExperimentRecord.RUN_FILE),
                    ExperimentRecord.json(ExperimentRecord.runOf(plan.experiment().name(), run)));
            Files.deleteIfExists(failureFile(folder));
            RunSummary summary = train(run, folder, source, position, grid, epochsAfter);
            return new RunResult(run, Fate.TRAINED, summary, null);
        } catch (org.bnlab.data.DatasetException e) {
            throw e; // bad data is the user's to fix, not one run's failure
        } catch (ForeignFolder e) {
            log.printf("%s: failed: %s%n", position, e.getMessage()); // nothing written into another run's folder
            return new RunResult(run, Fate.FAILED, null, e.getMessage());
        } catch (RuntimeException | IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.printf("%s: failed: %s%n", position, message);
            try {
                AtomicFiles.writeString(failureFile(folder), message + "\n");
            } catch (RuntimeException ignored) {
                // the failure is reported on the console and in the result; the folder may be what failed
            }
            return new RunResult(run, Fate.FAILED, null, message);
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
        TrainingRecipe training = RunNetwork.recipe(spec.train(), spec.seed());
        int batchesPerEpoch = (described.trainImages() + training.batchSize() - 1) / training.batchSize();
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
                    : () -> startFrom(run, source, fresh, position);
            TrainingJob job = new TrainingJob(run.id(), folder, start, trainBatches, evaluationBatches,
                    data.numClasses(), training, recorders(spec, data, probeEvery));
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
        RunSummary summary = summarize(run, described, outcome);
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
        while (RunState.of(source).kind() == RunState.Kind.RUNNING) {
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
        if (state.kind() != RunState.Kind.COMPLETED) {
            throw new IllegalStateException("run " + run.id() + " starts from run " + s.id() + " (index " + s.index()
                    + "), which is " + state + (state.kind() == RunState.Kind.DIVERGED
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

    /** {@code config.json}: the resolved specification with its schema version, readable by {@link #readConfig}. */
    public static String configJson(RunSpec spec) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = SpecCodec.json().createObjectNode();
        tree.put("schema_version", ExperimentRecord.SCHEMA_VERSION);
        tree.setAll(SpecCodec.withoutLaterDefaults(SpecCodec.tree(spec)));
        return ExperimentRecord.json(tree);
    }

    /**
     * Reads a run's {@code config.json} back into its specification (so that a run can be re-run from it). Keys the
     * specification gained after the file was written take their defaults.
     *
     * @throws org.bnlab.spec.SpecException if it is not a specification of this version
     */
    public static RunSpec readConfig(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        try {
            com.fasterxml.jackson.databind.JsonNode tree = SpecCodec.json().readTree(text);
            if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
                com.fasterxml.jackson.databind.JsonNode version = object.remove("schema_version");
                if (version == null || version.asInt() != ExperimentRecord.SCHEMA_VERSION) {
                    throw new org.bnlab.spec.SpecException(file + ": written by an older bnlab (no schema_version "
                            + ExperimentRecord.SCHEMA_VERSION + "); it can be reported but not re-run");
                }
                // keys added to the specification since the file was written take their defaults, which by design
                // reproduce what runs did before the key existed; unknown keys are still refused
                com.fasterxml.jackson.databind.node.ObjectNode complete = SpecCodec.tree(RunSpec.DEFAULT);
                org.bnlab.spec.Origins origins = new org.bnlab.spec.Origins();
                origins.record("", file.toString());
                SpecCodec.merge(complete, object, "", null, null);
                return SpecCodec.toSpec(complete, origins);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new org.bnlab.spec.SpecException(file + ": not well-formed JSON: " + SpecCodec.oneLine(e));
        }
        throw new org.bnlab.spec.SpecException(file + ": not a JSON object");
    }

    /**
     * The folder of a run: {@code outDir/id} when it exists; else an existing folder of the same hash under another
     * label (a run reused by a later expansion); else a folder of the same label whose {@code config.json} holds the
     * same run ({@link SpecCodec#identity}) and, for a run that starts from another, whose {@code run.json} names the
     * same source folder (a folder named before the report-only settings left the hash); else {@code outDir/id}.
     */
    static RunFolder folderFor(Path outDir, PlannedRun run) {
        return folderFor(outDir, run.id(), run.hash(), run.source());
    }

    /** The folder of the run with this id and hash and no known source (see {@link #folderFor(Path, PlannedRun)}). */
    static RunFolder folderFor(Path outDir, String id, String hash) {
        return folderFor(outDir, id, hash, null);
    }

    /**
     * The folder of the run with this id, hash and source (null for a run that starts freshly initialised, or when
     * it is not known), as {@link #folderFor(Path, PlannedRun)} finds it.
     */
    static RunFolder folderFor(Path outDir, String id, String hash, PlannedRun.Source source) {
        Path exact = outDir.resolve(id);
        if (Files.isDirectory(exact) || !Files.isDirectory(outDir)) {
            return RunFolder.at(exact);
        }
        String label = id.equals(hash) ? "" : id.endsWith("_" + hash)
                ? id.substring(0, id.length() - hash.length() - 1) : null;
        List<Path> sameLabel = new ArrayList<>();
        try (Stream<Path> entries = Files.list(outDir)) {
            for (Path p : (Iterable<Path>) entries.filter(Files::isDirectory).sorted()::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith("_" + hash) || name.equals(hash)) {
                    return RunFolder.at(p);
                }
                if (label != null && name.matches("(.*_)?[0-9a-f]{8}") && name.startsWith(label)) {
                    sameLabel.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path candidate : sameLabel) {
            if (holdsRun(outDir, RunFolder.at(candidate), hash, source)) {
                return RunFolder.at(candidate);
            }
        }
        return RunFolder.at(exact);
    }

    /** Whether {@code folder} holds the run of this hash and source, by its {@code config.json} and {@code run.json}. */
    private static boolean holdsRun(Path outDir, RunFolder folder, String hash, PlannedRun.Source source) {
        String own;
        try {
            if (!Files.isRegularFile(folder.configFile())) {
                return false;
            }
            own = SpecCodec.hash(readConfig(folder.configFile()));
        } catch (RuntimeException e) {
            return false; // unreadable or written by an older bnlab: not known to be this run
        }
        if (source == null) {
            return own.equals(hash);
        }
        if (!ExperimentPlan.combinedHash(own, source.hash()).equals(hash)) {
            return false;
        }
        try {
            String recorded = ExperimentRecord.readRun(folder.dir()).map(ExperimentRecord.Run::initFrom)
                    .map(PlannedRun.Source::id).orElse(null);
            return recorded != null && recorded.equals(
                    folderFor(outDir, source.id(), source.hash()).dir().getFileName().toString());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void createFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the results folder " + dir + ": " + e.getMessage());
        }
    }

    public static Path failureFile(RunFolder folder) {
        return folder.dir().resolve("failed.txt");
    }

    private ExperimentData data(RunSpec spec) {
        DataKey key = new DataKey(spec.data(), batchLayout(spec),
                spec.data().validationPerClass() > 0 ? spec.seed() : 0);
        if (!key.equals(loadedKey)) {
            loaded = null; // one data set in memory at a time
            loaded = ExperimentData.load(spec.data(), batchLayout(spec), spec.seed());
            loadedKey = key;
            if (!loaded.problems().isEmpty()) {
                log.println(loaded.problems().summary());
            }
        }
        return loaded;
    }

    private record DataKey(org.bnlab.spec.DataSpec data, org.bnlab.data.Layout layout, long seed) {
    }

    /**
     * What a run records besides its metrics, as its specification's measurement part says: activation statistics,
     * and the probe every {@code probeEvery} iterations (resolved from {@code measure.probe_every}; 0 = off) on
     * {@code measure.probe_images} evaluation images drawn with the run's seed ({@link ExperimentData#probeBatch}).
     */
    static List<org.bnlab.train.TrainingRecorder> recorders(RunSpec spec, ExperimentData data, int probeEvery) {
        org.bnlab.spec.MeasureSpec measure = spec.measure();
        List<org.bnlab.train.TrainingRecorder> recorders = new ArrayList<>();
        if (measure.activationStatsEvery() > 0) {
            recorders.add(new org.bnlab.measure.ActivationStatsListener(measure.activationStatsEvery()));
        }
        if (probeEvery > 0) {
            recorders.add(new org.bnlab.measure.ProbeRecorder(probeEvery,
                    data.probeBatch(measure.probeImages(), spec.seed())));
        }
        return recorders;
    }

    /** The layout of the batches ({@link RunNetwork#batchLayout}). */
    public static Layout batchLayout(RunSpec spec) {
        return RunNetwork.batchLayout(spec);
    }

    /** E.g. {@code resnet20} or {@code mlp-784-256-10} ({@link RunNetwork#modelName}). */
    static String modelName(ModelSpec m, ExperimentData.Description data) {
        return RunNetwork.modelName(m, data);
    }

    /**
     * Whether {@code folder}'s {@code config.json} holds the same run as {@code spec} ({@link SpecCodec#sameIdentity}:
     * where the data lives and the report-only settings may differ).
     */
    private static boolean holdsSpec(RunFolder folder, RunSpec spec) {
        try {
            return Files.isRegularFile(folder.configFile())
                    && SpecCodec.sameIdentity(readConfig(folder.configFile()), spec);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Records the current {@code config.json} of a run that holds the same run (see {@link #holdsSpec}): where the
     * data is now and the report-only settings as now planned, which {@code bnlab analyze} and the report read.
     */
    private static void updateConfig(RunFolder folder, String config) {
        try {
            if (!Files.readString(folder.configFile()).equals(config)) {
                folder.writeConfig(config);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run folder that holds another run's specification: the run fails without writing into it. */
    private static final class ForeignFolder extends IllegalStateException {
        ForeignFolder(String message) {
            super(message);
        }
    }

    private static void requireSameSpec(RunFolder folder, RunSpec spec) {
        if (!Files.exists(folder.configFile()) || holdsSpec(folder, spec)) {
            return;
        }
        String why;
        try {
            readConfig(folder.configFile());
            why = "was made with a different specification";
        } catch (RuntimeException e) {
            why = "holds a config.json that is not this run's (" + e.getMessage() + ")";
        }
        throw new ForeignFolder("run folder " + folder.dir() + " " + why
                + "; choose another --out folder or delete that one");
    }

    private static RunSummary summarize(PlannedRun run, ExperimentData.Description d, TrainingOutcome outcome) {
        RunSpec spec = run.spec();
        ModelSpec m = spec.model();
        TrainSpec t = spec.train();
        return new RunSummary(run.id(), outcome.diverged() ? RunStatus.DIVERGED : RunStatus.COMPLETED,
                outcome.divergedEpoch(), outcome.divergedReason(), d.dataset(), modelName(m, d), m.weightLayers(),
                m.architecture() == Architecture.RESNET ? m.shortcut().id() : "-", m.normalization().type(), m.init().id(), t.learningRate(), t.batchSize(),
                t.epochs(), outcome.epochsCompleted(), spec.seed(), d.trainImages(), d.evaluationImages(),
                outcome.finalTestAccuracy(), outcome.bestTestAccuracy(), outcome.totalSeconds());
    }
}
