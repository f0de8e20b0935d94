package org.bnlab.report.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IntervalTextTest {

    @Test
    void aDifferenceWhoseIntervalIncludesZero() {
        MeanDifference d = new MeanDifference(3.2, -1.1, 7.5, 3, 3, 3.9, 0.95);
        assertEquals("+3.2 points (95% CI -1.1 to +7.5, n = 3 vs 3; the interval includes zero)",
                IntervalText.describe(d, "points"));
    }

    @Test
    void aDifferenceAwayFromZero() {
        MeanDifference d = new MeanDifference(-19.34, -25.0, -13.66, 3, 2, 2.5, 0.9);
        assertEquals("-19.3 points (90% CI -25.0 to -13.7, n = 3 vs 2)", IntervalText.describe(d, "points"));
        assertEquals("-19 (90% CI -25 to -14, n = 3 vs 2)", IntervalText.describe(d, "", 0));
    }

    @Test
    void aDifferenceWithoutInterval() {
        MeanDifference d = MeanDifference.of(new double[] {90}, new double[] {50, 52});
        assertEquals("+39.0 points (no confidence interval: n = 1 vs 2, it needs at least 2 on each side)",
                IntervalText.describe(d, "points"));
        assertEquals("no difference (n = 0 vs 2)",
                IntervalText.describe(MeanDifference.of(new double[0], new double[] {50, 52}), "points"));
    }

    @Test
    void aDifferenceWithoutSpread() {
        MeanDifference d = MeanDifference.of(new double[] {10, 10}, new double[] {10, 10});
        assertEquals("+0.0 points (95% CI +0.0 to +0.0, n = 2 vs 2; every run on each side gave the same value;"
                + " the interval includes zero)", IntervalText.describe(d, "points"));
    }

    @Test
    void aSummary() {
        assertEquals("2.0% (95% CI -0.5 to 4.5, n = 3)",
                IntervalText.describe(SampleSummary.of(new double[] {1, 2, 3}), "%"));
        assertEquals("71.50 s (n = 1, no confidence interval)",
                IntervalText.describe(SampleSummary.of(new double[] {71.5}), "s", 2));
        assertEquals("no values (n = 0)", IntervalText.describe(SampleSummary.of(new double[0]), "%"));
    }

    @Test
    void levelsWithoutNeedlessDecimals() {
        assertEquals("95%", IntervalText.levelText(0.95));
        assertEquals("99.5%", IntervalText.levelText(0.995));
        assertEquals("50%", IntervalText.levelText(0.5));
    }
}
