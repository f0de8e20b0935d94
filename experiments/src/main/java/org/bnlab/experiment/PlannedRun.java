package org.bnlab.experiment;

import org.bnlab.model.Architecture;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;
import org.bnlab.spec.ModelSpec;
import org.bnlab.spec.RunSpec;
import org.bnlab.spec.TrainSpec;
import org.bnlab.train.TrainingOutcome;

import java.util.Map;

/**
 * One run of an expanded experiment.
 *
 * @param index       its 0-based position in the plan (the Slurm array index of {@code bnlab run --index})
 * @param id          its folder name: the readable label of what varies, then the short hash of the whole resolved
 *                    specification, e.g. {@code normalization=none_init=he_seed=2_1a2b3c4d}
 * @param assignments dotted path -> value (as text) of every setting that varies across the plan, seed included
 *                    when it varies, in axis order
 * @param spec        the resolved specification
 * @param hash        8 hex digits identifying {@code spec} (see {@link org.bnlab.spec.SpecCodec#hash}) and, for a run
 *                    that starts from another run's network, that run's hash too
 * @param source      the run whose trained network this one starts from ({@code model.init_from}), or null
 */
public record PlannedRun(int index, String id, Map<String, String> assignments, RunSpec spec, String hash,
                         Source source) {

    /**
     * The run another run starts from.
     *
     * @param index      its index in the plan (before the run that starts from it)
     * @param id         its id (folder name)
     * @param hash       its hash
     * @param parameters what is copied: {@code all} or {@code batchnorm} (see {@link org.bnlab.spec.InitFromSpec})
     */
    public record Source(int index, String id, String hash, String parameters) {
    }

    public PlannedRun {
        assignments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(assignments));
    }

    /** A run that starts freshly initialised. */
    public PlannedRun(int index, String id, Map<String, String> assignments, RunSpec spec, String hash) {
        this(index, id, assignments, spec, hash, null);
    }

    /**
     * The run's {@code summary.json} once trained: what it was (from its specification and the data it saw) and how it
     * ended.
     *
     * @param modelName the network's name, e.g. {@code resnet20} or {@code mlp-784-256-10}
     * @param data      the data the run trained and was evaluated on
     * @param outcome   how its training ended: completed, or diverged in which epoch and why
     */
    public RunSummary summary(String modelName, ExperimentData.Description data, TrainingOutcome outcome) {
        ModelSpec m = spec.model();
        TrainSpec t = spec.train();
        return new RunSummary(id, outcome.diverged() ? RunStatus.DIVERGED : RunStatus.COMPLETED,
                outcome.divergedEpoch(), outcome.divergedReason(), data.dataset(), modelName, m.weightLayers(),
                m.architecture() == Architecture.RESNET ? m.shortcut().id() : "-", m.normalization().type(),
                m.init().id(), t.learningRate(), t.batchSize(), t.epochs(), outcome.epochsCompleted(), spec.seed(),
                data.trainImages(), data.evaluationImages(), outcome.finalTestAccuracy(), outcome.bestTestAccuracy(),
                outcome.totalSeconds());
    }
}
