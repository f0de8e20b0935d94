package org.bnlab.report;

import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunSummary;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The per-run table ({@code runs.csv}): one row per finished run, in folder order. Columns: {@code run}; one column
 * per varying setting (named by its short name; never a fixed list); {@code seed}; then the outcome:
 * {@code status} (completed or diverged), {@code diverged_epoch}, {@code epochs} (completed),
 * {@code final_test_acc_pct} (after the last completed epoch, empty if none completed), {@code best_test_acc_pct},
 * {@code epochs_to_target}, {@code steps_to_target} and {@code seconds_to_target} (first epoch whose test accuracy
 * reached the target, the training steps (iterations) up to its end, and the elapsed seconds at its end; empty if
 * never). Steps count every batch, the last smaller one of an epoch included, as the trainer does.
 */
final class RunsTable {

    static final String RUN = "run";
    static final String SEED = "seed";
    static final String STATUS = "status";
    static final String DIVERGED_EPOCH = "diverged_epoch";
    static final String EPOCHS = "epochs";
    static final String FINAL_ACC = "final_test_acc_pct";
    static final String BEST_ACC = "best_test_acc_pct";
    static final String EPOCHS_TO_TARGET = "epochs_to_target";
    static final String STEPS_TO_TARGET = "steps_to_target";
    static final String SECONDS_TO_TARGET = "seconds_to_target";

    private RunsTable() {
    }

    static Table build(ResultsFolder folder, double targetAccuracy) {
        StringColumn run = StringColumn.create(RUN);
        List<StringColumn> axes = new ArrayList<>();
        for (String path : folder.arms()) {
            axes.add(StringColumn.create(folder.shortName(path)));
        }
        StringColumn seed = StringColumn.create(SEED);
        StringColumn status = StringColumn.create(STATUS);
        IntColumn divergedEpoch = IntColumn.create(DIVERGED_EPOCH);
        IntColumn epochs = IntColumn.create(EPOCHS);
        DoubleColumn finalAcc = DoubleColumn.create(FINAL_ACC);
        DoubleColumn bestAcc = DoubleColumn.create(BEST_ACC);
        IntColumn epochsToTarget = IntColumn.create(EPOCHS_TO_TARGET);
        IntColumn stepsToTarget = IntColumn.create(STEPS_TO_TARGET);
        DoubleColumn secondsToTarget = DoubleColumn.create(SECONDS_TO_TARGET);
        for (ReportRun r : folder.runs()) {
            RunSummary s = r.finished().summary();
            run.append(s.run());
            for (int i = 0; i < axes.size(); i++) {
                axes.get(i).append(r.value(folder.arms().get(i)));
            }
            seed.append(r.value(ResultsFolder.SEED));
            status.append(s.status().name().toLowerCase(Locale.ROOT));
            appendOrMissing(divergedEpoch, s.divergedEpoch());
            epochs.append(s.epochsCompleted());
            finalAcc.append(Numbers.percent(s.finalTestAccuracy()));
            bestAcc.append(Numbers.percent(s.bestTestAccuracy()));
            Optional<EpochMetrics> reached = r.finished().firstEpochReaching(targetAccuracy);
            appendOrMissing(epochsToTarget, reached.map(EpochMetrics::epoch).orElse(null));
            appendOrMissing(stepsToTarget, stepsToTarget(r, targetAccuracy));
            secondsToTarget.append(reached.map(EpochMetrics::elapsedSeconds).orElse(Double.NaN));
        }
        finalAcc.setPrintFormatter(Numbers.formatter("0.00"));
        bestAcc.setPrintFormatter(Numbers.formatter("0.00"));
        secondsToTarget.setPrintFormatter(Numbers.formatter("0.0"));
        List<Column<?>> columns = new ArrayList<>();
        columns.add(run);
        columns.addAll(axes);
        columns.addAll(List.of(seed, status, divergedEpoch, epochs, finalAcc, bestAcc, epochsToTarget,
                stepsToTarget, secondsToTarget));
        return Table.create("Runs (target test accuracy " + Numbers.fixed(targetAccuracy * 100, 2) + "%)", columns);
    }

    /** Training steps up to the end of the first epoch that reached {@code target}, or null (never, or unknown). */
    static Integer stepsToTarget(ReportRun r, double target) {
        RunSummary s = r.finished().summary();
        int stepsPerEpoch = s.batchSize() > 0 ? (s.trainImages() + s.batchSize() - 1) / s.batchSize() : 0;
        return r.finished().firstEpochReaching(target).filter(m -> stepsPerEpoch > 0)
                .map(m -> m.epoch() * stepsPerEpoch).orElse(null);
    }

    static void appendOrMissing(IntColumn column, Integer value) {
        if (value == null) {
            column.appendMissing();
        } else {
            column.append(value);
        }
    }
}
