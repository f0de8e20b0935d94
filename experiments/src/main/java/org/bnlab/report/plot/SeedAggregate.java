package org.bnlab.report.plot;

import org.bnlab.report.stats.SampleAggregates;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mean, minimum and maximum over seeds at each x (an epoch, a layer index): the line and band of a plot.
 *
 * <p>Each seed contributes the x values it has. Runs of different lengths are therefore averaged over the seeds
 * that reached an x: after a run diverges the mean is over the survivors, which the plots show by marking where
 * each run stopped. Non-finite values (NaN, infinities) are skipped, as if the seed had no value there. The
 * grouping is Tablesaw's {@code summarize(...).by(x)}, the mean {@link SampleAggregates#MEAN} (summed in seed order).
 */
final class SeedAggregate {

    /**
     * Statistics at one x.
     *
     * @param x    the position, e.g. epoch number
     * @param mean arithmetic mean of the seeds' values
     * @param min  smallest seed value
     * @param max  largest seed value
     * @param n    how many seeds had a finite value at {@code x}, at least 1
     */
    record Point(int x, double mean, double min, double max, int n) {
    }

    private static final String X = "x";
    private static final String VALUE = "value";

    private SeedAggregate() {
    }

    /**
     * One point per x that at least one seed has a finite value for, in increasing x.
     *
     * @param seeds one map from x to value per seed
     */
    static List<Point> byX(List<? extends Map<Integer, Double>> seeds) {
        IntColumn xs = IntColumn.create(X);
        DoubleColumn values = DoubleColumn.create(VALUE);
        for (Map<Integer, Double> seed : seeds) {
            seed.forEach((x, v) -> {
                if (v != null && Double.isFinite(v)) {
                    xs.append(x);
                    values.append(v);
                }
            });
        }
        Table byX = SampleAggregates.summarizeBy(Table.create("seeds", xs, values), List.of(X), List.of(VALUE),
                SampleAggregates.MEAN, AggregateFunctions.min, AggregateFunctions.max, SampleAggregates.N)
                .sortAscendingOn(X);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < byX.rowCount(); i++) {
            points.add(new Point(byX.intColumn(X).getInt(i),
                    byX.doubleColumn(SampleAggregates.name(SampleAggregates.MEAN, VALUE)).getDouble(i),
                    byX.doubleColumn(SampleAggregates.name(AggregateFunctions.min, VALUE)).getDouble(i),
                    byX.doubleColumn(SampleAggregates.name(AggregateFunctions.max, VALUE)).getDouble(i),
                    byX.intColumn(SampleAggregates.name(SampleAggregates.N, VALUE)).getInt(i)));
        }
        return points;
    }
}
