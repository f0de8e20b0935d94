package org.bnlab.analysis.runner;

import org.bnlab.analysis.AnalysisFolder;
import org.bnlab.analysis.AnalysisRow;
import org.bnlab.analysis.BatchNormLayers;
import org.bnlab.experiment.ExperimentData;
import org.bnlab.experiment.RunNetwork;
import org.bnlab.norm.NoNorm;
import org.bnlab.spec.ConfigJson;
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
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Analyses the finished runs of a results folder from their checkpoints, in the evaluation modes of each run's
 * {@code eval} settings (changed by {@code --set eval....} for the analysis only), into {@code <run>/analysis/}
 * ({@link AnalysisFolder}). A mode already computed with equal settings is skipped, so an interrupted analysis
 * resumes where it stopped; diverged runs are listed, not analysed. Prints run k/n, each mode, accuracy and
 * images/s.
 *
 * <p>The modes are the registered {@link EvaluationMode}s ({@link Modes#ALL}). What each evaluates (see
 * {@link EvalSpec}): {@code running} the evaluation set with the stored running statistics; {@code batch} the
 * evaluation set with batch statistics at each test batch size
 * ({@link org.bnlab.analysis.ForwardPasses#batchStatistics}); {@code precise} the evaluation set after
 * re-estimating the statistics over {@code eval.precise_batches} unaugmented training batches of
 * {@code train.batch_size} images ({@link org.bnlab.analysis.PreciseBatchNorm}); {@code adabn} each shifted copy of
 * the evaluation set ({@link org.bnlab.data.Shift}, its noise seeded by the run's seed, so a BN run and its no-BN
 * partner see the same images) with the stored statistics ({@code source}) and with statistics re-estimated on all
 * of the shifted images in batches of {@code train.batch_size} ({@code adapted}; transductive, as Schneider et al.
 * 2020 do on ImageNet-C). A network without BN has nothing to re-estimate: its rows in every mode are its
 * running-mode measurement, labelled {@code none}.
 */
public final class Analyzer {

    /** What happened to the runs. */
    public record Outcome(int analysed, int alreadyDone, int diverged, int skipped) {
    }

    private final PrintStream log;
    private BiConsumer<String, String> afterMode = (run, mode) -> { };
    private List<EvaluationMode> modes = Modes.ALL;
    private final ExperimentData.Cache loaded = new ExperimentData.Cache(data -> { });

    public Analyzer(PrintStream log) {
        this.log = log;
    }

    /** Called with (run id, mode) after each mode is written; tests interrupt an analysis from here. */
    /**
     * Evaluates with {@code modes} in place of {@link Modes#ALL} (a test registers its own); each name in a run's
     * {@code eval.modes} must be one of theirs.
     */
    public Analyzer withModes(List<EvaluationMode> modes) {
        this.modes = List.copyOf(modes);
        return this;
    }

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
    /**
     * What the modes do for a network without running statistics (no normalization, or GroupNorm, LayerNorm,
     * InstanceNorm, which compute the same function in training and inference): said once per run.
     */
    private static String statisticsFree(RunSpec spec) {
        String type = spec.model().normalization().type();
        return (NoNorm.TYPE.equals(type) ? "no BN" : type) + ": no running statistics, so batch, precise and adabn "
                + "each give the inference result (rows labelled none)";
    }

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
                data.evaluationSet().size(), hasBatchNorm ? "BN" : statisticsFree(spec),
                alreadyDone.isEmpty() ? "" : "; already done with these settings: " + String.join(", ", alreadyDone));
        RunEvaluation evaluation = new RunEvaluation(net, hasBatchNorm, data, spec, folder, position, log);
        for (String mode : todo) {
            String settings = settings(mode, spec, epochs);
            folder.clear(mode);
            List<AnalysisRow> rows = mode(mode).evaluate(evaluation);
            folder.writeRows(mode, rows);
            folder.markDone(mode, settings);
            afterMode.accept(run.name(), mode);
        }
        return true;
    }

    /** The settings a mode's result depends on, recorded in its marker. */
    private String settings(String mode, RunSpec spec, int checkpointEpochs) {
        EvalSpec e = spec.eval();
        String common = "checkpoint_epochs=" + checkpointEpochs + " calibration_bins=" + e.calibrationBins();
        return mode + ": " + common + mode(mode).settings(spec);
    }

    private EvaluationMode mode(String name) {
        return modes.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown evaluation mode " + name + "; registered: "
                        + modes.stream().map(EvaluationMode::name).toList()));
    }

    private ExperimentData data(RunSpec spec) {
        return loaded.get(spec.data(), RunNetwork.batchLayout(spec), spec.seed());
    }
}
