package org.bnlab.analysis.runner;

import org.bnlab.analysis.AnalysisRow;
import org.bnlab.analysis.ForwardPasses;
import org.bnlab.analysis.ModelMetrics;
import org.bnlab.analysis.ModelOutputs;
import org.bnlab.analysis.PreciseBatchNorm;
import org.bnlab.data.BatchIterator;
import org.bnlab.spec.EvalSpec;
import org.bnlab.spec.RunSpec;

import java.util.List;

/**
 * {@code precise}: the evaluation set after re-estimating BN's statistics over {@code eval.precise_batches}
 * unaugmented training batches of {@code train.batch_size} images ({@link PreciseBatchNorm}; Wu and Johnson 2021).
 */
final class PreciseMode implements EvaluationMode {

    @Override
    public String name() {
        return EvalSpec.PRECISE;
    }

    @Override
    public String settings(RunSpec spec) {
        return " precise_batches=" + spec.eval().preciseBatches() + " train.batch_size=" + spec.train().batchSize()
                + " seed=" + spec.seed();
    }

    @Override
    public List<AnalysisRow> evaluate(RunEvaluation run) {
        if (!run.hasBatchNorm()) {
            return List.of(run.runningRow().as(EvalSpec.PRECISE, "none", 0, "", 0));
        }
        RunSpec spec = run.spec();
        long start = System.nanoTime();
        PreciseBatchNorm.Result r;
        try (BatchIterator train = run.data().unaugmentedTrainingBatches(spec.train().batchSize(), spec.seed())) {
            r = PreciseBatchNorm.reestimate(run.net(), train, spec.eval().preciseBatches());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long evalStart = System.nanoTime();
        ModelOutputs outputs;
        try (BatchIterator batches = run.data().evaluationBatches(spec.eval().batchSize())) {
            outputs = ForwardPasses.running(r.net(), batches);
        }
        ModelMetrics m = run.metrics(outputs);
        run.writeModelFiles(EvalSpec.PRECISE, m, "precise BN statistics");
        AnalysisRow row = AnalysisRow.of(EvalSpec.PRECISE, "precise", 0, "", 0, m,
                RunEvaluation.speed(outputs.size(), evalStart));
        run.note("(statistics re-estimated over %d training images in %d batch%s, %.1f s)", r.images(), r.batches(),
                r.batches() == 1 ? "" : "es", seconds);
        run.say("precise BN", row);
        return List.of(row);
    }
}
