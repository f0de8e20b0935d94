package org.bnlab.analysis.runner;

import org.bnlab.analysis.AnalysisRow;
import org.bnlab.analysis.ForwardPasses;
import org.bnlab.analysis.ModelOutputs;
import org.bnlab.data.BatchIterator;
import org.bnlab.spec.EvalSpec;
import org.bnlab.spec.RunSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code batch}: BN normalises with the statistics of each test batch ({@link ForwardPasses#batchStatistics}), at
 * every size in {@code eval.test_batch_sizes}, the batches drawn in a random order seeded by the run's seed.
 */
final class BatchMode implements EvaluationMode {

    @Override
    public String name() {
        return EvalSpec.BATCH;
    }

    @Override
    public String settings(RunSpec spec) {
        return " test_batch_sizes=" + spec.eval().testBatchSizes() + " order=shuffled";
    }

    @Override
    public List<AnalysisRow> evaluate(RunEvaluation run) {
        List<AnalysisRow> rows = new ArrayList<>();
        for (int size : run.spec().eval().testBatchSizes()) {
            if (!run.hasBatchNorm()) {
                rows.add(run.runningRow().as(EvalSpec.BATCH, "none", size, "", 0));
                continue;
            }
            long start = System.nanoTime();
            ModelOutputs outputs;
            // random test batches (seeded by the run's seed): the reading order groups images by class
            try (BatchIterator batches = run.data().shuffledEvaluationBatches(size, run.spec().seed())) {
                outputs = ForwardPasses.batchStatistics(run.net(), batches);
            }
            AnalysisRow row = AnalysisRow.of(EvalSpec.BATCH, "batch", size, "", 0, run.metrics(outputs),
                    RunEvaluation.speed(outputs.size(), start));
            run.say("batch statistics, test batch " + size, row);
            rows.add(row);
        }
        return rows;
    }
}
