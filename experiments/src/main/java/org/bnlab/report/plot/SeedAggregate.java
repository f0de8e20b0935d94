package org.bnlab.report.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mean, minimum and maximum over seeds at each x (an epoch, a layer index): the line and band of a plot.
 *
 * <p>Each seed contributes the x values it has. Runs of different lengths are therefore averaged over the seeds
 * that reached an x: after a run diverges the mean is over the survivors, which the plots show by marking where
 * each run stopped. Non-finite values (NaN, infinities) are skipped, as if the seed had no value there.
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

    private SeedAggregate() {
    }

    /**
     * One point per x that at least one seed has a finite value for, in increasing x.
     *
     * @param seeds one map from x to value per seed
     */
    static List<Point> byX(List<? extends Map<Integer, Double>> seeds) {
        TreeMap<Integer, List<Double>> values = new TreeMap<>();
        for (Map<Integer, Double> seed : seeds) {
            seed.forEach((x, v) -> {
                if (v != null && Double.isFinite(v)) {
                    values.computeIfAbsent(x, k -> new ArrayList<>()).add(v);
                }
            });
        }
        List<Point> points = new ArrayList<>();
        values.forEach((x, vs) -> {
            double sum = 0.0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : vs) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            points.add(new Point(x, sum / vs.size(), min, max, vs.size()));
        });
        return points;
    }
}
