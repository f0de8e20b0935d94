package org.bnlab.report;

import org.bnlab.report.stats.SampleAggregates;
import tech.tablesaw.aggregate.AggregateFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.List;

/**
 * The over-seeds table ({@code over-seeds.csv}): the per-run table grouped by every varying setting except the seed
 * (Tablesaw's {@code summarize(...).by(...)} with {@link SampleAggregates}), one row per arm. Columns: the arm's
 * settings; {@code runs}; {@code diverged} (how many); for the final test accuracy in percent {@code final_mean},
 * sample standard deviation {@code final_sd}, {@code final_n} (runs with a value: a run that diverged in its first
 * epoch has none) and the 95% Student t interval of the mean {@code final_ci_low}, {@code final_ci_high} (empty below
 * 2 values, where there is no interval); then {@code best_mean}, {@code best_sd}.
 */
final class OverSeedsTable {

    static final String RUNS = "runs";
    static final String DIVERGED = "diverged";
    static final String FINAL_MEAN = "final_mean";
    static final String FINAL_SD = "final_sd";
    static final String FINAL_N = "final_n";
    static final String FINAL_CI_LOW = "final_ci_low";
    static final String FINAL_CI_HIGH = "final_ci_high";

    private OverSeedsTable() {
    }

    /** Numbers by value, before text; text alphabetically. */
    static int compareValues(String a, String b) {
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        if (x != null || y != null) {
            return x != null ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static Double number(String text) {
        try {
            return Double.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Table build(Table runs, ResultsFolder folder) {
        List<String> axes = folder.arms().stream().map(folder::shortName).toList();
        AggregateFunction<Column<?>, Integer> diverged = SampleAggregates.occurrences(DIVERGED, "diverged");
        Table grouped = SampleAggregates.summarizeBy(runs, axes,
                List.of(RunsTable.RUN, RunsTable.STATUS, RunsTable.FINAL_ACC, RunsTable.BEST_ACC),
                SampleAggregates.ROWS, diverged, SampleAggregates.MEAN, SampleAggregates.SD, SampleAggregates.N,
                SampleAggregates.CI_LOW, SampleAggregates.CI_HIGH);
        // arms in the order of their settings, numbers by value (depth 8 before 20, decay 0.9 before 0.99); the
        // sort is stable, so arms whose settings compare equal stay in the order of their first run
        Table sorted = grouped.sortOn((a, b) -> {
            for (String axis : axes) {
                int c = compareValues(a.getString(axis), b.getString(axis));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        List<Column<?>> columns = new ArrayList<>();
        axes.forEach(a -> columns.add(sorted.stringColumn(a)));
        columns.add(sorted.intColumn(SampleAggregates.name(SampleAggregates.ROWS, RunsTable.RUN)).setName(RUNS));
        columns.add(sorted.intColumn(SampleAggregates.name(diverged, RunsTable.STATUS)).setName(DIVERGED));
        columns.add(rounded(sorted, SampleAggregates.MEAN, RunsTable.FINAL_ACC, FINAL_MEAN));
        columns.add(rounded(sorted, SampleAggregates.SD, RunsTable.FINAL_ACC, FINAL_SD));
        columns.add(sorted.intColumn(SampleAggregates.name(SampleAggregates.N, RunsTable.FINAL_ACC)).setName(FINAL_N));
        columns.add(rounded(sorted, SampleAggregates.CI_LOW, RunsTable.FINAL_ACC, FINAL_CI_LOW));
        columns.add(rounded(sorted, SampleAggregates.CI_HIGH, RunsTable.FINAL_ACC, FINAL_CI_HIGH));
        columns.add(rounded(sorted, SampleAggregates.MEAN, RunsTable.BEST_ACC, "best_mean"));
        columns.add(rounded(sorted, SampleAggregates.SD, RunsTable.BEST_ACC, "best_sd"));
        return Table.create("Over seeds: final test accuracy (%), mean, sd, n, 95% CI", columns);
    }

    /** {@code function}'s column of {@code column}, rounded to 4 decimals, named {@code name}, printed with 2. */
    private static DoubleColumn rounded(Table grouped, AggregateFunction<?, ?> function, String column, String name) {
        DoubleColumn c = Numbers.rounded(grouped.doubleColumn(SampleAggregates.name(function, column))).setName(name);
        c.setPrintFormatter(Numbers.formatter("0.00"));
        return c;
    }
}
