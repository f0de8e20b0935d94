package org.bnlab.report;

import org.bnlab.report.stats.SampleSummary;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.table.TableSlice;

import java.util.ArrayList;
import java.util.List;

/**
 * The over-seeds table ({@code over-seeds.csv}): the per-run table grouped by every varying setting except the seed
 * (Tablesaw's {@code splitOn}), one row per arm. Columns: the arm's settings; {@code runs}; {@code diverged} (how
 * many); for the final test accuracy in percent {@code final_mean}, sample standard deviation {@code final_sd},
 * {@code final_n} (runs with a value: a run that diverged in its first epoch has none) and the 95% Student t
 * interval of the mean {@code final_ci_low}, {@code final_ci_high} (empty below 2 values, where there is no
 * interval); then {@code best_mean}, {@code best_sd}.
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
        List<StringColumn> keys = new ArrayList<>();
        axes.forEach(a -> keys.add(StringColumn.create(a)));
        IntColumn count = IntColumn.create(RUNS);
        IntColumn diverged = IntColumn.create(DIVERGED);
        DoubleColumn mean = DoubleColumn.create(FINAL_MEAN);
        DoubleColumn sd = DoubleColumn.create(FINAL_SD);
        IntColumn n = IntColumn.create(FINAL_N);
        DoubleColumn low = DoubleColumn.create(FINAL_CI_LOW);
        DoubleColumn high = DoubleColumn.create(FINAL_CI_HIGH);
        DoubleColumn bestMean = DoubleColumn.create("best_mean");
        DoubleColumn bestSd = DoubleColumn.create("best_sd");
        List<TableSlice> groups = new ArrayList<>(axes.isEmpty() ? List.of(new TableSlice(runs))
                : runs.splitOn(axes.toArray(String[]::new)).getSlices());
        // arms in the order of their settings, numbers by value (depth 8 before 20, decay 0.9 before 0.99)
        groups.sort((a, b) -> {
            for (String axis : axes) {
                int c = compareValues(a.asTable().stringColumn(axis).get(0), b.asTable().stringColumn(axis).get(0));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        for (TableSlice group : groups) {
            Table slice = group.asTable();
            for (int i = 0; i < axes.size(); i++) {
                keys.get(i).append(slice.stringColumn(axes.get(i)).get(0));
            }
            count.append(slice.rowCount());
            diverged.append((int) slice.stringColumn(RunsTable.STATUS).countOccurrences("diverged"));
            SampleSummary f = SampleSummary.of(slice.doubleColumn(RunsTable.FINAL_ACC).asDoubleArray());
            SampleSummary b = SampleSummary.of(slice.doubleColumn(RunsTable.BEST_ACC).asDoubleArray());
            mean.append(Numbers.round4(f.mean()));
            sd.append(Numbers.round4(f.sd()));
            n.append(f.n());
            low.append(Numbers.round4(f.ciLow()));
            high.append(Numbers.round4(f.ciHigh()));
            bestMean.append(Numbers.round4(b.mean()));
            bestSd.append(Numbers.round4(b.sd()));
        }
        for (DoubleColumn c : List.of(mean, sd, low, high, bestMean, bestSd)) {
            c.setPrintFormatter(Numbers.formatter("0.00"));
        }
        List<Column<?>> columns = new ArrayList<>(keys);
        columns.addAll(List.of(count, diverged, mean, sd, n, low, high, bestMean, bestSd));
        return Table.create("Over seeds: final test accuracy (%), mean, sd, n, 95% CI", columns);
    }
}
