package org.bnlab.analysis.runner;

import org.bnlab.analysis.AnalysisRow;
import org.bnlab.analysis.ForwardPasses;
import org.bnlab.analysis.ModelOutputs;
import org.bnlab.analysis.PreciseBatchNorm;
import org.bnlab.data.BatchIterator;
import org.bnlab.data.ImageSet;
import org.bnlab.data.Shift;
import org.bnlab.spec.EvalSpec;
import org.bnlab.spec.RunSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code adabn}: each shifted copy of the evaluation set ({@code eval.shifts} x {@code eval.severities}, the noise
 * seeded by the run's seed, so a BN run and its no-BN partner see the same images) with the stored statistics
 * ({@code source}) and with statistics re-estimated on all of the shifted images in batches of
 * {@code train.batch_size} ({@code adapted}; AdaBN, Li et al. 2016; transductive, as Schneider et al. 2020).
 */
final class AdaBnMode implements EvaluationMode {

    @Override
    public String name() {
        return EvalSpec.ADABN;
    }

    @Override
    public String settings(RunSpec spec) {
        return " shifts=" + spec.eval().shifts() + " severities=" + spec.eval().severities() + " train.batch_size="
                + spec.train().batchSize() + " seed=" + spec.seed();
    }

    @Override
    public List<AnalysisRow> evaluate(RunEvaluation run) {
        RunSpec spec = run.spec();
        List<AnalysisRow> rows = new ArrayList<>();
        for (String shiftName : spec.eval().shifts()) {
            Shift shift = Shift.parse(shiftName);
            for (int severity : spec.eval().severities()) {
                ImageSet shifted = shift.apply(run.data().evaluationSet(), severity, spec.seed());
                long start = System.nanoTime();
                ModelOutputs source;
                try (BatchIterator batches = run.data().batchesOf(shifted, spec.eval().batchSize())) {
                    source = ForwardPasses.running(run.net(), batches);
                }
                AnalysisRow sourceRow = AnalysisRow.of(EvalSpec.ADABN, run.hasBatchNorm() ? "source" : "none", 0,
                        shift.id(), severity, run.metrics(source), RunEvaluation.speed(source.size(), start));
                rows.add(sourceRow);
                if (!run.hasBatchNorm()) {
                    run.say(shift.id() + " " + severity, sourceRow);
                    continue;
                }
                PreciseBatchNorm.Result adapted;
                try (BatchIterator batches = run.data().batchesOf(shifted, spec.train().batchSize())) {
                    adapted = PreciseBatchNorm.reestimate(run.net(), batches, Integer.MAX_VALUE);
                }
                long evalStart = System.nanoTime();
                ModelOutputs outputs;
                try (BatchIterator batches = run.data().batchesOf(shifted, spec.eval().batchSize())) {
                    outputs = ForwardPasses.running(adapted.net(), batches);
                }
                AnalysisRow adaptedRow = AnalysisRow.of(EvalSpec.ADABN, "adapted", 0, shift.id(), severity,
                        run.metrics(outputs), RunEvaluation.speed(outputs.size(), evalStart));
                rows.add(adaptedRow);
                run.note("%s %d: source statistics %.2f%%, adapted (AdaBN) %.2f%%", shift.id(), severity,
                        sourceRow.accuracyPct(), adaptedRow.accuracyPct());
            }
        }
        return rows;
    }
}
