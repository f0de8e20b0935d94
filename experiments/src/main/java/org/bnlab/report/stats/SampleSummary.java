package org.bnlab.report.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * Mean, spread and a confidence interval for the mean of a small sample, typically one number per seed
 * (a final test accuracy, say).
 *
 * <p>The interval is the two-sided Student t interval {@code mean ± t_{(1+level)/2, n-1} * sd / sqrt(n)}
 * (Student 1908, "The probable error of a mean"; quantiles from Apache Commons Math's {@code TDistribution}).
 * It assumes the values are independent draws from a roughly normal distribution; with three seeds the
 * interval is wide ({@code t_{0.975,2} = 4.30}), which is the honest answer for three seeds.
 *
 * <p>Units: {@code mean}, {@code sd}, {@code ciLow} and {@code ciHigh} are in the units of the values.
 *
 * <p>Missing values: NaN values are ignored and not counted in {@code n}. Infinite values are kept (an
 * infinite loss is a result, not a missing value), so they make the mean infinite and the sd NaN.
 * With {@code n = 0} every number is NaN; with {@code n = 1} the mean is the value, and sd and the interval
 * are NaN, never 0: one value says nothing about the spread, and a zero-width interval would claim a
 * certainty that is not there.
 *
 * @param n      how many values were used (NaN excluded)
 * @param mean   arithmetic mean, NaN when {@code n = 0}
 * @param sd     sample standard deviation (divided by {@code n - 1}), NaN when {@code n < 2}
 * @param ciLow  lower end of the confidence interval for the mean, NaN when {@code n < 2}
 * @param ciHigh upper end of the confidence interval for the mean, NaN when {@code n < 2}
 * @param level  the interval's confidence level, e.g. 0.95
 */
public record SampleSummary(int n, double mean, double sd, double ciLow, double ciHigh, double level) {

    /** The confidence level used when none is given. */
    public static final double DEFAULT_LEVEL = 0.95;

    /**
     * Summary with a 95% interval.
     *
     * @throws NullPointerException if {@code values} is null
     */
    public static SampleSummary of(double[] values) {
        return of(values, DEFAULT_LEVEL);
    }

    /**
     * Summary with an interval at {@code level}.
     *
     * @param values the sample; NaN entries are skipped
     * @param level  confidence level strictly between 0 and 1, e.g. 0.95
     * @throws NullPointerException     if {@code values} is null
     * @throws IllegalArgumentException if {@code level} is not strictly between 0 and 1
     */
    public static SampleSummary of(double[] values, double level) {
        Objects.requireNonNull(values, "values");
        StudentT.checkLevel(level);
        double[] kept = present(values);
        int n = kept.length;
        if (n == 0) {
            return new SampleSummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, level);
        }
        double mean = mean(kept);
        if (n == 1) {
            return new SampleSummary(1, mean, Double.NaN, Double.NaN, Double.NaN, level);
        }
        double sd = Math.sqrt(sumOfSquaredDeviations(kept, mean) / (n - 1));
        double halfWidth = StudentT.twoSidedQuantile(level, n - 1) * sd / Math.sqrt(n);
        return new SampleSummary(n, mean, sd, mean - halfWidth, mean + halfWidth, level);
    }

    /** Whether there is an interval at all ({@code n >= 2} and finite values). */
    public boolean hasInterval() {
        return !Double.isNaN(ciLow) && !Double.isNaN(ciHigh);
    }

    /** Half the interval's width ({@code t * sd / sqrt(n)}), NaN when there is no interval. */
    public double halfWidth() {
        return (ciHigh - ciLow) / 2.0;
    }

    /** The values that are not NaN, in order. */
    private static double[] present(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    }

    /**
     * Sum of squared deviations from {@code mean}: a second pass over the values rather than the one-pass
     * {@code sum(x^2) - n * mean^2}, which cancels badly when the spread is small next to the mean
     * (accuracies of 93.1, 93.2, 93.4).
     */
    private static double sumOfSquaredDeviations(double[] values, double mean) {
        double sum = 0.0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum;
    }

    private static double mean(double[] values) {
        double sum = 0.0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
