package org.bnlab.experiment;

import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;

/**
 * The run another run starts from ({@code model.init_from}): waiting while another process trains it, requiring
 * it finished with a checkpoint, and copying its parameters into the new network.
 */
final class SourceRun {

    private SourceRun() {
    }

    /**
     * Waits while another live process trains the run that {@code run} starts from (another of {@code --workers}),
     * so that a target is not tried before its source; sources never wait for their targets.
     */
    static void await(PlannedRun run, RunFolder source, String position, PrintStream log) {
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
    static void requireFinished(PlannedRun run, RunFolder source) {
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
    static ComputationGraph startFrom(PlannedRun run, RunFolder source, ComputationGraph fresh, String position,
                                      PrintStream log) {
        ComputationGraph trained = org.bnlab.train.ParameterTransfer.trainedNetwork(source.checkpointFile());
        boolean batchNormOnly = org.bnlab.spec.InitFromSpec.BATCHNORM.equals(run.source().parameters());
        List<String> layers = org.bnlab.train.ParameterTransfer.copy(trained, fresh, batchNormOnly);
        org.bnlab.norm.Normalizer norm = run.spec().model().normalization();
        // a normalizer without running statistics (GroupNorm, LayerNorm, InstanceNorm) has only gamma and beta to give
        String only = batchNormOnly && norm.hasAffine() && !norm.hasRunningStatistics()
                ? " (" + norm.type() + " layers: gamma and beta; it keeps no running statistics)" : "";
        log.printf("%s: starting from run %s: %s parameters of %d layers copied%s%n", position, run.source().id(),
                run.source().parameters(), layers.size(), only);
        return fresh;
    }
}
