package org.bnlab.report;

import static tech.tablesaw.aggregate.AggregateFunctions.count;
import static tech.tablesaw.aggregate.AggregateFunctions.countWithMissing;
import static tech.tablesaw.aggregate.AggregateFunctions.mean;
import static tech.tablesaw.aggregate.AggregateFunctions.stdDev;

import java.util.ArrayList;
import java.util.List;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Builds the aggregated table of a comparison: the per-run table summarized over the runs that
 * differ only in seed, i.e. grouped by dataset, model, shortcut, normalization, init and learning
 * rate. (Dataset and shortcut are grouped on too, so that a folder mixing them never averages
 * across them; in a normal comparison they are constant and change nothing.)
 *
 * <p>Columns: the group keys; {@code runs} (runs in the group); {@code diverged} (how many of them
 * diverged); then for {@code final_test_acc_pct} and {@code best_test_acc_pct} each:
 * {@code _mean}, {@code _std} (sample standard deviation; empty for fewer than 2 values, where
 * Tablesaw would say 0 and suggest a certainty there is not) and {@code _n} (runs that have a value:
 * a run that diverged before its first epoch ended has none).
 */
final class AggregatedTable {

    static final String[] GROUP_KEYS = {PerRunTable.DATASET, PerRunTable.MODEL, PerRunTable.SHORTCUT,
            PerRunTable.NORMALIZATION, PerRunTable.INIT, PerRunTable.LEARNING_RATE};
    static final String RUNS = "runs";
    static final String DIVERGED = "diverged";

    private AggregatedTable() {
    }

    static Table build(Table perRun) {
        Table grouped = withLearningRateAsText(perRun);

        Table accuracy = grouped.summarize(PerRunTable.FINAL_ACC, PerRunTable.BEST_ACC, mean, stdDev, count)
                .by(GROUP_KEYS);
        // diverged_epoch is present exactly for diverged runs, so its counts give runs and divergences.
        Table counts = grouped.summarize(PerRunTable.DIVERGED_EPOCH, countWithMissing, count).by(GROUP_KEYS);
        Table joined = accuracy.joinOn(GROUP_KEYS).inner(counts);

        List<Column<?>> columns = new ArrayList<>();
        for (String key : GROUP_KEYS) {
            columns.add(joined.column(key).copy());
        }
        columns.add(ints(joined, "Count (incl. missing) [" + PerRunTable.DIVERGED_EPOCH + "]", RUNS));
        columns.add(ints(joined, "Count [" + PerRunTable.DIVERGED_EPOCH + "]", DIVERGED));
        for (String accuracyColumn : List.of(PerRunTable.FINAL_ACC, PerRunTable.BEST_ACC)) {
            IntColumn n = ints(joined, "Count [" + accuracyColumn + "]", accuracyColumn + "_n");
            DoubleColumn meanColumn = doubles(joined, "Mean [" + accuracyColumn + "]", accuracyColumn + "_mean");
            DoubleColumn std = doubles(joined, "Std. Deviation [" + accuracyColumn + "]", accuracyColumn + "_std");
            for (int row = 0; row < n.size(); row++) {
                if (n.getInt(row) < 2) {
                    std.setMissing(row);
                }
            }
            columns.add(meanColumn);
            columns.add(std);
            columns.add(n);
        }
        Table table = Table.create(columns).sortAscendingOn(GROUP_KEYS).setName("Over seeds");
        // Formatters go on after sorting: the sort builds the table anew from empty copies of the columns.
        for (String accuracyColumn : List.of(PerRunTable.FINAL_ACC, PerRunTable.BEST_ACC)) {
            table.doubleColumn(accuracyColumn + "_mean").setPrintFormatter(Numbers.formatter("0.00"));
            table.doubleColumn(accuracyColumn + "_std").setPrintFormatter(Numbers.formatter("0.00"));
        }
        return table;
    }

    /**
     * Tablesaw groups only on categorical columns, which a DoubleColumn is not; the learning rate is
     * a configuration label here anyway, so it becomes its plain decimal text ("0.1").
     */
    private static Table withLearningRateAsText(Table perRun) {
        Table copy = perRun.copy();
        DoubleColumn learningRate = copy.doubleColumn(PerRunTable.LEARNING_RATE);
        StringColumn asText = StringColumn.create(PerRunTable.LEARNING_RATE);
        for (int row = 0; row < learningRate.size(); row++) {
            asText.append(Numbers.plain(learningRate.getDouble(row)));
        }
        return copy.replaceColumn(PerRunTable.LEARNING_RATE, asText);
    }

    private static IntColumn ints(Table table, String from, String name) {
        NumericColumn<?> source = table.numberColumn(from);
        IntColumn column = IntColumn.create(name);
        for (int row = 0; row < source.size(); row++) {
            column.append((int) Math.round(source.getDouble(row)));
        }
        return column;
    }

    private static DoubleColumn doubles(Table table, String from, String name) {
        NumericColumn<?> source = table.numberColumn(from);
        DoubleColumn column = DoubleColumn.create(name);
        for (int row = 0; row < source.size(); row++) {
            column.append(Numbers.round4(source.getDouble(row)));
        }
        return column;
    }
}
