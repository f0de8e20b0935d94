package org.bnlab.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bnlab.results.EpochMetrics;
import org.bnlab.results.RunSummary;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Builds the per-run table of a comparison: one row per finished run. Column meanings are in
 * {@link ComparisonReport}; accuracies are percentages, missing values are Tablesaw's missing
 * values (printed and written as empty cells).
 */
final class PerRunTable {

    static final String RUN = "run";
    static final String DATASET = "dataset";
    static final String MODEL = "model";
    static final String SHORTCUT = "shortcut";
    static final String NORMALIZATION = "normalization";
    static final String INIT = "init";
    static final String LEARNING_RATE = "learning_rate";
    static final String SEED = "seed";
    static final String STATUS = "status";
    static final String DIVERGED_EPOCH = "diverged_epoch";
    static final String EPOCHS = "epochs";
    static final String FINAL_ACC = "final_test_acc_pct";
    static final String BEST_ACC = "best_test_acc_pct";
    static final String EPOCHS_TO_TARGET = "epochs_to_target";
    static final String SECONDS_TO_TARGET = "seconds_to_target";
    static final String BN_MINUS_THIS = "bn_minus_this_final_pts";

    private PerRunTable() {
    }

    static Table build(List<FinishedRun> runs, BatchNormPartners partners, double targetAccuracy) {
        StringColumn run = StringColumn.create(RUN);
        StringColumn dataset = StringColumn.create(DATASET);
        StringColumn model = StringColumn.create(MODEL);
        StringColumn shortcut = StringColumn.create(SHORTCUT);
        StringColumn normalization = StringColumn.create(NORMALIZATION);
        StringColumn init = StringColumn.create(INIT);
        DoubleColumn learningRate = DoubleColumn.create(LEARNING_RATE);
        LongColumn seed = LongColumn.create(SEED);
        StringColumn status = StringColumn.create(STATUS);
        IntColumn divergedEpoch = IntColumn.create(DIVERGED_EPOCH);
        IntColumn epochs = IntColumn.create(EPOCHS);
        DoubleColumn finalAcc = DoubleColumn.create(FINAL_ACC);
        DoubleColumn bestAcc = DoubleColumn.create(BEST_ACC);
        IntColumn epochsToTarget = IntColumn.create(EPOCHS_TO_TARGET);
        DoubleColumn secondsToTarget = DoubleColumn.create(SECONDS_TO_TARGET);
        DoubleColumn bnMinusThis = DoubleColumn.create(BN_MINUS_THIS);

        for (FinishedRun r : runs) {
            RunSummary s = r.summary();
            run.append(s.run());
            dataset.append(s.dataset());
            model.append(s.model());
            shortcut.append(s.shortcut());
            normalization.append(s.normalization());
            init.append(s.init());
            learningRate.append(s.learningRate());
            seed.append(s.seed());
            status.append(s.status().name().toLowerCase(Locale.ROOT));
            appendOrMissing(divergedEpoch, s.divergedEpoch());
            epochs.append(s.epochsCompleted());
            finalAcc.append(Numbers.percent(s.finalTestAccuracy()));
            bestAcc.append(Numbers.percent(s.bestTestAccuracy()));
            Optional<EpochMetrics> reached = r.firstEpochReaching(targetAccuracy);
            appendOrMissing(epochsToTarget, reached.map(EpochMetrics::epoch).orElse(null));
            secondsToTarget.append(reached.map(EpochMetrics::elapsedSeconds).orElse(Double.NaN));
            bnMinusThis.append(bnMinusThis(r, partners));
        }

        learningRate.setPrintFormatter(Numbers.formatter("0.##########"));
        seed.setPrintFormatter(Numbers.formatter("0"));
        finalAcc.setPrintFormatter(Numbers.formatter("0.00"));
        bestAcc.setPrintFormatter(Numbers.formatter("0.00"));
        secondsToTarget.setPrintFormatter(Numbers.formatter("0.0"));
        bnMinusThis.setPrintFormatter(Numbers.formatter("+0.00;-0.00"));

        // The name is the title Table.print() shows, so the console says which target the columns refer to.
        String title = "Runs (target test accuracy " + Numbers.fixed(targetAccuracy * 100, 2) + "%)";
        return Table.create(title, run, dataset, model, shortcut, normalization, init, learningRate, seed, status,
                divergedEpoch, epochs, finalAcc, bestAcc, epochsToTarget, secondsToTarget, bnMinusThis);
    }

    /**
     * Percentage points by which the matching BN run's final accuracy beats this run's: positive
     * means BN did better. Missing for BN runs, without a partner, or when either final is missing.
     */
    private static double bnMinusThis(FinishedRun run, BatchNormPartners partners) {
        double mine = Numbers.percent(run.summary().finalTestAccuracy());
        double bn = partners.partnerOf(run).map(p -> Numbers.percent(p.summary().finalTestAccuracy()))
                .orElse(Double.NaN);
        // NaN in either propagates to NaN, which is Tablesaw's missing value.
        return Numbers.round4(bn - mine);
    }

    private static void appendOrMissing(IntColumn column, Integer value) {
        if (value == null) {
            column.appendMissing();
        } else {
            column.append(value);
        }
    }
}
