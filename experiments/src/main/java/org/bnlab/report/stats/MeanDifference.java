package org.bnlab.report.stats;

import java.util.Objects;

/**
 * Difference between the means of two independent samples with Welch's confidence interval, typically
 * "with BatchNorm" against "without", one value per seed on each side.
 *
 * <p>Formula (Welch 1947, "The generalization of 'Student's' problem when several different population
 * variances are involved", Biometrika 34): with sample means {@code mA, mB}, sample variances
 * {@code sA², sB²} (divided by n - 1) and sizes {@code nA, nB},
 * <pre>
 *   difference = mA - mB
 *   vA = sA² / nA,  vB = sB² / nB,  se = sqrt(vA + vB)
 *   df = (vA + vB)² / (vA² / (nA - 1) + vB² / (nB - 1))      (Welch–Satterthwaite)
 *   CI = difference ± t_{(1+level)/2, df} * se
 * </pre>
 * Unlike Student's pooled test it does not assume both sides have the same variance, which matters here:
 * runs without BatchNorm usually vary much more from seed to seed than runs with it. This is what R's
 * {@code t.test(a, b)} computes by default.
 *
 * <p>Units: {@code difference}, {@code ciLow} and {@code ciHigh} are in the units of the inputs (points of
 * accuracy, say, if the inputs are percentages).
 *
 * <p>Edge cases: NaN values are ignored, as in {@link SampleSummary}. The difference is NaN when either side
 * has no values. The interval and {@code df} are NaN when either side has fewer than 2 values: a variance
 * cannot be estimated from one value. When both sides have zero variance (every seed gave the same number,
 * which happens with a deterministic run or a run that sits at chance level), the standard error is 0 and
 * {@code df} is 0/0; {@code df} is then NaN and the interval collapses to the point difference
 * ({@code ciLow = ciHigh = difference}), the limit of the formula as the spread goes to 0.
 *
 * @param difference mean of A minus mean of B
 * @param ciLow      lower end of the confidence interval of the difference, NaN when either n &lt; 2
 * @param ciHigh     upper end of the confidence interval of the difference, NaN when either n &lt; 2
 * @param nA         values used from A (NaN excluded)
 * @param nB         values used from B (NaN excluded)
 * @param df         Welch–Satterthwaite degrees of freedom, NaN when either n &lt; 2 or both variances are 0
 * @param level      the interval's confidence level, e.g. 0.95
 */
public record MeanDifference(double difference, double ciLow, double ciHigh, int nA, int nB, double df,
                             double level) {

    /**
     * Mean of {@code a} minus mean of {@code b} with a 95% Welch interval.
     *
     * @throws NullPointerException if either array is null
     */
    public static MeanDifference of(double[] a, double[] b) {
        return of(a, b, SampleSummary.DEFAULT_LEVEL);
    }

    /**
     * Mean of {@code a} minus mean of {@code b} with a Welch interval at {@code level}.
     *
     * @throws NullPointerException     if either array is null
     * @throws IllegalArgumentException if {@code level} is not strictly between 0 and 1
     */
    public static MeanDifference of(double[] a, double[] b, double level) {
        SampleSummary sa = SampleSummary.of(Objects.requireNonNull(a, "a"), level);
        SampleSummary sb = SampleSummary.of(Objects.requireNonNull(b, "b"), level);
        double difference = sa.mean() - sb.mean();
        if (sa.n() < 2 || sb.n() < 2) {
            return new MeanDifference(difference, Double.NaN, Double.NaN, sa.n(), sb.n(), Double.NaN, level);
        }
        double va = sa.sd() * sa.sd() / sa.n();
        double vb = sb.sd() * sb.sd() / sb.n();
        if (va + vb == 0.0) {
            return new MeanDifference(difference, difference, difference, sa.n(), sb.n(), Double.NaN, level);
        }
        double df = (va + vb) * (va + vb) / (va * va / (sa.n() - 1) + vb * vb / (sb.n() - 1));
        if (Double.isNaN(df)) {
            // infinite values on a side: no finite interval
            return new MeanDifference(difference, Double.NaN, Double.NaN, sa.n(), sb.n(), Double.NaN, level);
        }
        double halfWidth = StudentT.twoSidedQuantile(level, df) * Math.sqrt(va + vb);
        return new MeanDifference(difference, difference - halfWidth, difference + halfWidth, sa.n(), sb.n(), df,
                level);
    }

    /** Whether there is an interval at all (both sides have at least 2 values). */
    public boolean hasInterval() {
        return !Double.isNaN(ciLow) && !Double.isNaN(ciHigh);
    }

    /**
     * Whether the interval does not rule out a difference of zero: true when {@code ciLow <= 0 <= ciHigh}, and
     * also when there is no interval (see {@link #hasInterval()}), because then nothing rules zero out. A
     * caller can therefore write "A beats B" only when this is false.
     */
    public boolean includesZero() {
        return !hasInterval() || (ciLow <= 0.0 && ciHigh >= 0.0);
    }
}
