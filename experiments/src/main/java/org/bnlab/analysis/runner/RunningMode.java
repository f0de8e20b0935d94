package org.bnlab.analysis.runner;

import org.bnlab.analysis.AnalysisRow;
import org.bnlab.analysis.ForwardPasses;
import org.bnlab.analysis.ModelMetrics;
import org.bnlab.analysis.ModelOutputs;
import org.bnlab.data.BatchIterator;
import org.bnlab.spec.EvalSpec;
import org.bnlab.spec.RunSpec;

import java.util.List;

/**
 * {@code running}: the evaluation set in inference mode, BN with its stored running statistics (what the epochs
 * report); also writes the test images' probabilities, which the pair comparisons read.
 */
final class RunningMode implements EvaluationMode {

    @Override
    public String name() {
        return EvalSpec.RUNNING;
    }

    @Override
    public String settings(RunSpec spec) {
        return "";
    }

    @Override
    public List<AnalysisRow> evaluate(RunEvaluation run) {
        long start = System.nanoTime();
        ModelOutputs outputs;
        try (BatchIterator batches = run.data().evaluationBatches(run.spec().eval().batchSize())) {
            outputs = ForwardPasses.running(run.net(), batches);
        }
        double speed = RunEvaluation.speed(outputs.size(), start);
        ModelMetrics m = run.metrics(outputs);
        run.folder().writeProbabilities(outputs);
        run.writeModelFiles(EvalSpec.RUNNING, m, "running statistics");
        AnalysisRow row = AnalysisRow.of(EvalSpec.RUNNING, run.hasBatchNorm() ? "running" : "none", 0, "", 0, m,
                speed);
        run.rememberRunning(row);
        run.say("running", row);
        return List.of(row);
    }
}
