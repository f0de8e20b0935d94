package org.bnlab.report.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

class MeanDifferenceTest {

    /** R's sleep data set, extra hours of sleep under two drugs (Student 1908). */
    private static final double[] SLEEP_1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    private static final double[] SLEEP_2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

    @Test
    void matchesRsWelchTest() {
        // R: t.test(extra ~ group, data = sleep): df = 17.776, 95 percent CI -3.3654832 0.2054832
        MeanDifference d = MeanDifference.of(SLEEP_1, SLEEP_2);
        assertEquals(0.75 - 2.33, d.difference(), 1e-12);
        assertEquals(17.776, d.df(), 1e-3);
        assertEquals(-3.3654832, d.ciLow(), 1e-6);
        assertEquals(0.2054832, d.ciHigh(), 1e-6);
        assertEquals(10, d.nA());
        assertEquals(10, d.nB());
        assertTrue(d.includesZero());
    }

    @Test
    void matchesTheWelchFormulaWorkedByHand() {
        // BN accuracies vs no-BN accuracies (percent), unequal sizes and spreads.
        double[] a = {91.0, 92.0, 93.0};              // mean 92, variance 1
        double[] b = {80.0, 84.0, 86.0, 90.0};        // mean 85, variance (25+1+1+25)/3 = 52/3
        double va = 1.0 / 3;
        double vb = (52.0 / 3) / 4;
        double df = Math.pow(va + vb, 2) / (va * va / 2 + vb * vb / 3);
        double t = new TDistribution(df).inverseCumulativeProbability(0.975);
        double half = t * Math.sqrt(va + vb);

        MeanDifference d = MeanDifference.of(a, b);
        assertEquals(7.0, d.difference(), 1e-12);
        assertEquals(df, d.df(), 1e-9);
        assertEquals(7.0 - half, d.ciLow(), 1e-9);
        assertEquals(7.0 + half, d.ciHigh(), 1e-9);
        assertEquals(d.ciLow() <= 0, d.includesZero());
    }

    @Test
    void anIntervalAwayFromZero() {
        MeanDifference d = MeanDifference.of(new double[] {90, 91, 92}, new double[] {50, 51, 52});
        // equal variances and sizes: df = 2 (n - 1) = 4, se = sqrt(2/3); R: qt(0.975, 4) = 2.776445
        assertEquals(4.0, d.df(), 1e-12);
        assertEquals(40.0 - 2.776445 * Math.sqrt(2.0 / 3), d.ciLow(), 1e-6);
        assertFalse(d.includesZero());
        assertTrue(d.hasInterval());
    }

    @Test
    void oneValueOnASideGivesNoInterval() {
        MeanDifference d = MeanDifference.of(new double[] {90, Double.NaN}, new double[] {50, 51, 52});
        assertEquals(39.0, d.difference(), 1e-12);
        assertEquals(1, d.nA());
        assertEquals(3, d.nB());
        assertTrue(Double.isNaN(d.ciLow()));
        assertTrue(Double.isNaN(d.ciHigh()));
        assertTrue(Double.isNaN(d.df()));
        assertFalse(d.hasInterval());
        assertTrue(d.includesZero(), "without an interval nothing rules zero out");
    }

    @Test
    void anEmptySideGivesNaN() {
        MeanDifference d = MeanDifference.of(new double[] {Double.NaN}, new double[] {50, 51});
        assertEquals(0, d.nA());
        assertTrue(Double.isNaN(d.difference()));
        assertFalse(d.hasInterval());
    }

    @Test
    void zeroVarianceOnBothSidesCollapsesToThePoint() {
        MeanDifference d = MeanDifference.of(new double[] {10, 10}, new double[] {10, 10, 10});
        assertEquals(0.0, d.difference());
        assertEquals(0.0, d.ciLow());
        assertEquals(0.0, d.ciHigh());
        assertTrue(Double.isNaN(d.df()));
        assertTrue(d.includesZero());

        MeanDifference apart = MeanDifference.of(new double[] {12, 12}, new double[] {10, 10});
        assertEquals(2.0, apart.ciLow());
        assertEquals(2.0, apart.ciHigh());
        assertFalse(apart.includesZero());
    }

    @Test
    void zeroVarianceOnOneSideLeavesTheOthersDegreesOfFreedom() {
        // vA = 0, so df = vB^2 / (vB^2 / (nB - 1)) = nB - 1
        MeanDifference d = MeanDifference.of(new double[] {10, 10, 10}, new double[] {1, 2, 3, 4, 5});
        assertEquals(4.0, d.df(), 1e-12);
    }
}
