package org.bnlab.report.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

/** Grouping with Tablesaw gives what {@link SampleSummary} gives for each group's values, groups in first-row order. */
class SampleAggregatesTest {

    private static Table runs() {
        // arms "b" then "a" by first appearance (not alphabetical, not by hash); "NA" and "null" are setting values
        return Table.create("runs",
                StringColumn.create("arm", "b", "a", "b", "NA", "a", "b", "null", "NA"),
                IntColumn.create("batch", 8, 8, 8, 8, 8, 8, 8, 8),
                DoubleColumn.create("acc", 1.0, 10.0, 2.0, 5.0, Double.NaN, 3.0, 7.0, 6.0),
                StringColumn.create("status", "completed", "completed", "completed", "completed", "diverged",
                        "completed", "completed", "completed"));
    }

    @Test
    void eachGroupIsItsSampleSummaryInFirstRowOrder() {
        Table g = SampleAggregates.summarizeBy(runs(), List.of("arm", "batch"), List.of("acc", "status"),
                SampleAggregates.MEAN, SampleAggregates.SD, SampleAggregates.N, SampleAggregates.CI_LOW,
                SampleAggregates.CI_HIGH, SampleAggregates.ROWS, SampleAggregates.occurrences("diverged", "diverged"));
        assertEquals(List.of("b", "a", "NA", "null"), g.stringColumn("arm").asList());
        assertEquals(List.of(8, 8, 8, 8), g.intColumn("batch").asList());
        assertEquals("arm", g.columnNames().get(0));
        assertEquals("batch", g.columnNames().get(1));

        SampleSummary b = SampleSummary.of(new double[] {1.0, 2.0, 3.0});
        assertEquals(b.mean(), g.doubleColumn("mean [acc]").getDouble(0));
        assertEquals(b.sd(), g.doubleColumn("sd [acc]").getDouble(0));
        assertEquals(b.ciLow(), g.doubleColumn("ci_low [acc]").getDouble(0));
        assertEquals(b.ciHigh(), g.doubleColumn("ci_high [acc]").getDouble(0));
        assertEquals(3, g.intColumn("n [acc]").getInt(0));

        // arm a: one value and one NaN (a run that diverged in its first epoch): n 1, no sd, no interval
        assertEquals(10.0, g.doubleColumn("mean [acc]").getDouble(1));
        assertEquals(1, g.intColumn("n [acc]").getInt(1));
        assertEquals(2, g.intColumn("rows [acc]").getInt(1));
        assertEquals(1, g.intColumn("diverged [status]").getInt(1));
        assertTrue(Double.isNaN(g.doubleColumn("sd [acc]").getDouble(1)));
        assertTrue(Double.isNaN(g.doubleColumn("ci_low [acc]").getDouble(1)));

        assertEquals(5.5, g.doubleColumn("mean [acc]").getDouble(2));
        assertEquals(7.0, g.doubleColumn("mean [acc]").getDouble(3));
        assertEquals(List.of("arm", "batch", "mean [acc]", "sd [acc]", "n [acc]", "ci_low [acc]", "ci_high [acc]",
                "rows [acc]", "rows [status]", "diverged [status]"), g.columnNames());
    }

    @Test
    void meanIsSampleSummarysToTheLastBit() {
        // Commons Math's corrected mean (Tablesaw's own) differs from the plain mean in the last bit for these
        double[] values = {0.1, 0.2, 0.7, 93.1, 93.2, 93.4};
        Table t = Table.create("t", StringColumn.create("k", "x", "x", "x", "x", "x", "x"),
                DoubleColumn.create("v", values));
        Table g = SampleAggregates.summarizeBy(t, List.of("k"), List.of("v"), SampleAggregates.MEAN);
        assertEquals(SampleSummary.of(values).mean(), g.doubleColumn("mean [v]").getDouble(0));
        assertNotEquals(AggregateFunctions.mean.summarize(t.doubleColumn("v")),
                g.doubleColumn("mean [v]").getDouble(0));
    }

    @Test
    void withoutKeysOneRowForTheWholeTable() {
        Table g = SampleAggregates.summarizeBy(runs(), List.of(), List.of("acc"), SampleAggregates.N,
                SampleAggregates.ROWS);
        assertEquals(1, g.rowCount());
        assertEquals(7, g.intColumn("n [acc]").getInt(0));
        assertEquals(8, g.intColumn("rows [acc]").getInt(0));
    }

    @Test
    void integerColumnsAndMissingIntegers() {
        IntColumn right = IntColumn.create("right", 3, 5);
        right.appendMissing();
        Table t = Table.create("t", StringColumn.create("k", "x", "x", "x"), right);
        Table g = SampleAggregates.summarizeBy(t, List.of("k"), List.of("right"), SampleAggregates.MEAN,
                SampleAggregates.N);
        assertEquals(4.0, g.doubleColumn("mean [right]").getDouble(0));
        assertEquals(2, g.intColumn("n [right]").getInt(0));
    }

    @Test
    void anEmptyTableHasNoGroups() {
        Table g = SampleAggregates.summarizeBy(runs().emptyCopy(), List.of("arm"), List.of("acc"),
                SampleAggregates.MEAN);
        assertEquals(0, g.rowCount());
        assertEquals(List.of("arm", "mean [acc]"), g.columnNames());
    }
}
