package org.bnlab.analyze;

import org.bnlab.analysis.AnalysisFolder;
import org.bnlab.analysis.AnalysisRow;
import org.bnlab.analysis.BatchNormLayers;
import org.bnlab.analysis.EvaluationModes;
import org.bnlab.analysis.ModelMetrics;
import org.bnlab.analysis.ModelOutputs;
import org.bnlab.analysis.PreciseBatchNorm;
import org.bnlab.data.BatchIterator;
import org.bnlab.data.ImageSet;
import org.bnlab.data.Shift;
import org.bnlab.experiment.ExperimentData;
import org.bnlab.experiment.ExperimentRunner;
import org.bnlab.spec.ConfigJson;
import org.bnlab.report.plot.ReliabilityPlot;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.bnlab.spec.EvalSpec;
import org.bnlab.spec.RunSpec;
import org.bnlab.train.Checkpoint;
import org.bnlab.train.ParameterTransfer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Analyses the finished runs of a results folder from their checkpoints, in the evaluation modes of each run's
 * {@code eval} settings (changed by {@code --set eval....} for the analysis only), into {@code <run>/analysis/}
 * ({@link AnalysisFolder}). A mode already computed with equal settings is skipped, so an interrupted analysis
 * resumes where it stopped; diverged runs are listed, not analysed. Prints run k/n, each mode, accuracy and
 * images/s.
 *
 * <p>What each mode evaluates (see {@link EvalSpec}): {@code running} the evaluation set with the stored running
 * statistics; {@code batch} the evaluation set with batch statistics at each test batch size
 * ({@link EvaluationModes#batchStatistics}); {@code precise} the evaluation set after re-estimating the statistics
 * over {@code eval.precise_batches} unaugmented training batches of {@code train.batch_size} images
 * ({@link PreciseBatchNorm}); {@code adabn} each shifted copy of the evaluation set ({@link Shift}, its noise seeded
 * by the run's seed, so a BN run and its no-BN partner see the same images) with the stored statistics
 * ({@code source}) and with statistics re-estimated on all of the shifted images in batches of
 * {@code train.batch_size} ({@code adapted}; transductive, as Schneider et al. 2020 do on ImageNet-C). A network
 * without BN has nothing to re-estimate: its rows in every mode are its running-mode measurement, labelled
 * {@code none}.
 */
public final class Analyzer {

    /** What happened to the runs. */
    public record Outcome(int analysed, int alreadyDone, int diverged, int skipped) {
    }

    private final PrintStream log;
    private BiConsumer<String, String> afterMode = (run, mode) -> { };
    private final ExperimentData.Cache loaded = new ExperimentData.Cache(data -> { });

    public Analyzer(PrintStream log) {
        this.log = log;
    }

    /** Called with (run id, mode) after each mode is written; tests interrupt an analysis from here. */
    public Analyzer afterEachMode(BiConsumer<String, String> listener) {
        this.afterMode = Objects.requireNonNull(listener);
        return this;
    }

    /**
     * @param sets {@code eval.KEY=VALUE} changes for this analysis
     * @param only a run id to analyse alone, or null for all
     * @throws IllegalArgumentException for a bad {@code --set}, an unknown {@code only} or a folder without runs
     */
    public Outcome analyze(Path dir, List<String> sets, String only) {
        EvalOverrides.check(sets);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no results folder " + dir);
        }
        List<RunFolder> runs = RunFolder.findFinished(dir).stream()
                .filter(r -> only == null || r.name().equals(only)).toList();
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(only != null ? "no finished run " + only + " in " + dir
                    : "no finished runs in " + dir + " to analyse");
        }
        int analysed = 0, done = 0, diverged = 0, skipped = 0;
        for (int k = 0; k < runs.size(); k++) {
            RunFolder run = runs.get(k);
            String position = "[analyze " + (k + 1) + "/" + runs.size() + "] " + run.name();
            RunSummary summary = run.readSummary().orElseThrow();
            if (summary.status() == RunStatus.DIVERGED) {
                log.printf("%s: diverged in epoch %s, not analysed%n", position, summary.divergedEpoch());
                diverged++;
                continue;
            }
            if (!Files.isRegularFile(run.checkpointFile())) {
                log.printf("%s: no checkpoint.zip, not analysed%n", position);
                skipped++;
                continue;
            }
            RunSpec spec = EvalOverrides.apply(ConfigJson.read(run.configFile()), sets);
            if (analyseRun(run, spec, position)) {
                analysed++;
            } else {
                done++;
            }
        }
        return new Outcome(analysed, done, diverged, skipped);
    }

    /** Analyses one run; false when every mode was already done. */
    private boolean analyseRun(RunFolder run, RunSpec spec, String position) {
        EvalSpec eval = spec.eval();
        AnalysisFolder folder = AnalysisFolder.of(run.dir());
        int epochs = Checkpoint.epochsDone(run.checkpointFile()).orElse(0);
        List<String> todo = eval.modes().stream()
                .filter(m -> !folder.isDone(m, settings(m, spec, epochs))).toList();
        if (todo.isEmpty()) {
            log.printf("%s: already analysed (%s), skipped%n", position, String.join(", ", eval.modes()));
            return false;
        }
        ExperimentData data = data(spec);
        ComputationGraph net = ParameterTransfer.trainedNetwork(run.checkpointFile());
        boolean hasBatchNorm = !BatchNormLayers.of(net).isEmpty();
        List<String> alreadyDone = eval.modes().stream().filter(m -> !todo.contains(m)).toList();
        log.printf("%s: %s (%d evaluation images; %s)%s%n", position, String.join(", ", todo),
                data.evaluationSet().size(), hasBatchNorm ? "BN" : "no BN",
                alreadyDone.isEmpty() ? "" : "; already done with these settings: " + String.join(", ", alreadyDone));
        ModeRunner modes = new ModeRunner(net, hasBatchNorm, data, spec, folder, position);
        for (String mode : todo) {
            String settings = settings(mode, spec, epochs);
            folder.clear(mode);
            List<AnalysisRow> rows = switch (mode) {
                case EvalSpec.RUNNING -> modes.running();
                case EvalSpec.BATCH -> modes.batch();
                case EvalSpec.PRECISE -> modes.precise();
                case EvalSpec.ADABN -> modes.adabn();
                default -> throw new IllegalArgumentException("unknown evaluation mode " + mode);
            };
            folder.writeRows(mode, rows);
            folder.markDone(mode, settings);
            afterMode.accept(run.name(), mode);
        }
        return true;
    }

    /** The settings a mode's result depends on, recorded in its marker. */
    static String settings(String mode, RunSpec spec, int checkpointEpochs) {
        EvalSpec e = spec.eval();
        String common = "checkpoint_epochs=" + checkpointEpochs + " calibration_bins=" + e.calibrationBins();
        return mode + ": " + common + switch (mode) {
            case EvalSpec.BATCH -> " test_batch_sizes=" + e.testBatchSizes() + " order=shuffled";
            case EvalSpec.PRECISE -> " precise_batches=" + e.preciseBatches() + " train.batch_size="
                    + spec.train().batchSize() + " seed=" + spec.seed();
            case EvalSpec.ADABN -> " shifts=" + e.shifts() + " severities=" + e.severities() + " train.batch_size="
                    + spec.train().batchSize() + " seed=" + spec.seed();
            default -> "";
        };
    }

    private ExperimentData data(RunSpec spec) {
        return loaded.get(spec.data(), ExperimentRunner.batchLayout(spec), spec.seed());
    }

    /** The modes of one run's network. */
    private final class ModeRunner {
        private final ComputationGraph net;
        private final boolean hasBatchNorm;
        private final ExperimentData data;
        private final RunSpec spec;
        private final AnalysisFolder folder;
        private final String position;
        private AnalysisRow runningRow;

        ModeRunner(ComputationGraph net, boolean hasBatchNorm, ExperimentData data, RunSpec spec,
                   AnalysisFolder folder, String position) {
            this.net = net;
            this.hasBatchNorm = hasBatchNorm;
            this.data = data;
            this.spec = spec;
            this.folder = folder;
            this.position = position;
        }

        private int bins() {
            return spec.eval().calibrationBins();
        }

        List<AnalysisRow> running() {
            long start = System.nanoTime();
            ModelOutputs outputs;
            try (BatchIterator batches = data.evaluationBatches(spec.eval().batchSize())) {
                outputs = EvaluationModes.running(net, batches);
            }
            double speed = speed(outputs.size(), start);
            ModelMetrics m = ModelMetrics.of(outputs, data.numClasses(), bins());
            folder.writeProbabilities(outputs);
            writeModelFiles(EvalSpec.RUNNING, m, "running statistics");
            runningRow = AnalysisRow.of(EvalSpec.RUNNING, hasBatchNorm ? "running" : "none", 0, "", 0, m, speed);
            say("running", runningRow);
            return List.of(runningRow);
        }

        List<AnalysisRow> batch() {
            List<AnalysisRow> rows = new ArrayList<>();
            for (int size : spec.eval().testBatchSizes()) {
                if (!hasBatchNorm) {
                    rows.add(runningRow().as(EvalSpec.BATCH, "none", size, "", 0));
                    continue;
                }
                long start = System.nanoTime();
                ModelOutputs outputs;
                // random test batches (seeded by the run's seed): the reading order groups images by class
                try (BatchIterator batches = data.shuffledEvaluationBatches(size, spec.seed())) {
                    outputs = EvaluationModes.batchStatistics(net, batches);
                }
                AnalysisRow row = AnalysisRow.of(EvalSpec.BATCH, "batch", size, "", 0,
                        ModelMetrics.of(outputs, data.numClasses(), bins()), speed(outputs.size(), start));
                say("batch statistics, test batch " + size, row);
                rows.add(row);
            }
            return rows;
        }

        List<AnalysisRow> precise() {
            if (!hasBatchNorm) {
                return List.of(runningRow().as(EvalSpec.PRECISE, "none", 0, "", 0));
            }
            long start = System.nanoTime();
            PreciseBatchNorm.Result r;
            try (BatchIterator train = data.unaugmentedTrainingBatches(spec.train().batchSize(), spec.seed())) {
                r = PreciseBatchNorm.reestimate(net, train, spec.eval().preciseBatches());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long evalStart = System.nanoTime();
            ModelOutputs outputs;
            try (BatchIterator batches = data.evaluationBatches(spec.eval().batchSize())) {
                outputs = EvaluationModes.running(r.net(), batches);
            }
            ModelMetrics m = ModelMetrics.of(outputs, data.numClasses(), bins());
            writeModelFiles(EvalSpec.PRECISE, m, "precise BN statistics");
            AnalysisRow row = AnalysisRow.of(EvalSpec.PRECISE, "precise", 0, "", 0, m, speed(outputs.size(), evalStart));
            log.printf(Locale.ROOT, "%s:   (statistics re-estimated over %d training images in %d batches, %.1f s)%n",
                    position, r.images(), r.batches(), seconds);
            say("precise BN", row);
            return List.of(row);
        }

        List<AnalysisRow> adabn() {
            List<AnalysisRow> rows = new ArrayList<>();
            for (String shiftName : spec.eval().shifts()) {
                Shift shift = Shift.parse(shiftName);
                for (int severity : spec.eval().severities()) {
                    ImageSet shifted = shift.apply(data.evaluationSet(), severity, spec.seed());
                    long start = System.nanoTime();
                    ModelOutputs source;
                    try (BatchIterator batches = data.batchesOf(shifted, spec.eval().batchSize())) {
                        source = EvaluationModes.running(net, batches);
                    }
                    AnalysisRow sourceRow = AnalysisRow.of(EvalSpec.ADABN, hasBatchNorm ? "source" : "none", 0,
                            shift.id(), severity, ModelMetrics.of(source, data.numClasses(), bins()),
                            speed(source.size(), start));
                    rows.add(sourceRow);
                    if (!hasBatchNorm) {
                        say(shift.id() + " " + severity, sourceRow);
                        continue;
                    }
                    PreciseBatchNorm.Result adapted;
                    try (BatchIterator batches = data.batchesOf(shifted, spec.train().batchSize())) {
                        adapted = PreciseBatchNorm.reestimate(net, batches, Integer.MAX_VALUE);
                    }
                    long evalStart = System.nanoTime();
                    ModelOutputs outputs;
                    try (BatchIterator batches = data.batchesOf(shifted, spec.eval().batchSize())) {
                        outputs = EvaluationModes.running(adapted.net(), batches);
                    }
                    AnalysisRow adaptedRow = AnalysisRow.of(EvalSpec.ADABN, "adapted", 0, shift.id(), severity,
                            ModelMetrics.of(outputs, data.numClasses(), bins()), speed(outputs.size(), evalStart));
                    rows.add(adaptedRow);
                    log.printf(Locale.ROOT, "%s:   %s %d: source statistics %.2f%%, adapted (AdaBN) %.2f%%%n",
                            position, shift.id(), severity, sourceRow.accuracyPct(), adaptedRow.accuracyPct());
                }
            }
            return rows;
        }

        /** The running-mode row, computed now when that mode is not part of this analysis. */
        private AnalysisRow runningRow() {
            if (runningRow == null) {
                long start = System.nanoTime();
                ModelOutputs outputs;
                try (BatchIterator batches = data.evaluationBatches(spec.eval().batchSize())) {
                    outputs = EvaluationModes.running(net, batches);
                }
                runningRow = AnalysisRow.of(EvalSpec.RUNNING, "none", 0, "", 0,
                        ModelMetrics.of(outputs, data.numClasses(), bins()), speed(outputs.size(), start));
            }
            return runningRow;
        }

        private void writeModelFiles(String mode, ModelMetrics m, String what) {
            folder.writePerClass(mode, m, data.evaluationSet().classNames());
            folder.writeReliability(mode, m);
            double[] acc = new double[m.binCount().length];
            double[] conf = new double[m.binCount().length];
            for (int b = 0; b < acc.length; b++) {
                acc[b] = 100 * m.binAccuracy()[b];
                conf[b] = 100 * m.binConfidence()[b];
            }
            ReliabilityPlot.write(folder.reliabilityPng(mode), String.format(Locale.ROOT,
                    "%s: accuracy %.2f%%, ECE %.2f%%", what, 100 * m.accuracy(), 100 * m.ece()), acc, conf,
                    m.binCount()); // the run is the folder; a title with its id did not fit the figure
        }

        private void say(String what, AnalysisRow row) {
            log.printf(Locale.ROOT, "%s:   %s: accuracy %.2f%%, loss %.4f, ECE %.2f%%, %,.0f images/s%n", position,
                    what, row.accuracyPct(), row.loss(), row.ecePct(), row.imagesPerSecond());
        }

        private double speed(int images, long startNanos) {
            return images / ((System.nanoTime() - startNanos) / 1e9);
        }
    }
}
