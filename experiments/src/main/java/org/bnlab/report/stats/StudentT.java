package org.bnlab.report.stats;

import org.apache.commons.math3.distribution.TDistribution;

/** Quantiles of Student's t distribution for two-sided confidence intervals. */
final class StudentT {

    private StudentT() {
    }

    /**
     * The t value that leaves {@code (1 - level) / 2} in the upper tail: {@code t_{(1+level)/2, df}}, for example
     * 4.302653 for {@code level = 0.95, df = 2}.
     *
     * @param level confidence level, strictly between 0 and 1
     * @param df    degrees of freedom, positive (need not be whole: Welch's are not)
     * @throws IllegalArgumentException if {@code level} or {@code df} is out of range
     */
    static double twoSidedQuantile(double level, double df) {
        checkLevel(level);
        if (!(df > 0) || Double.isInfinite(df)) {
            throw new IllegalArgumentException("degrees of freedom must be positive and finite, got " + df);
        }
        // No random generator: only the quantile function is used, and the default one seeds a Mersenne
        // Twister from the clock on every construction.
        return new TDistribution(null, df).inverseCumulativeProbability(0.5 + level / 2.0);
    }

    /** @throws IllegalArgumentException unless {@code 0 < level < 1} */
    static void checkLevel(double level) {
        if (!(level > 0.0 && level < 1.0)) {
            throw new IllegalArgumentException("confidence level must be strictly between 0 and 1, got " + level);
        }
    }
}
