package org.bnlab.report.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleSummaryTest {

    /** R: qt(0.975, 2). */
    private static final double T_975_2 = 4.302653;

    @Test
    void threeValuesGiveTheStudentInterval() {
        // R: t.test(c(1, 2, 3)) -> mean 2, 95 percent CI -0.4841377 4.4841377
        SampleSummary s = SampleSummary.of(new double[] {1, 2, 3});
        assertEquals(3, s.n());
        assertEquals(2.0, s.mean(), 1e-12);
        assertEquals(1.0, s.sd(), 1e-12);
        assertEquals(-0.4841377, s.ciLow(), 1e-6);
        assertEquals(4.4841377, s.ciHigh(), 1e-6);
        assertEquals(T_975_2 / Math.sqrt(3), s.halfWidth(), 1e-6);
        assertTrue(s.hasInterval());
    }

    @Test
    void otherLevels() {
        // R: qt(0.995, 4) = 4.604095; values with mean 10 and sd sqrt(2.5)
        double[] values = {8, 9, 10, 11, 12};
        SampleSummary s = SampleSummary.of(values, 0.99);
        assertEquals(Math.sqrt(2.5), s.sd(), 1e-12);
        assertEquals(4.604095 * Math.sqrt(2.5) / Math.sqrt(5), s.halfWidth(), 1e-6);
        assertEquals(0.99, s.level());
        assertThrows(IllegalArgumentException.class, () -> SampleSummary.of(values, 1.0));
        assertThrows(IllegalArgumentException.class, () -> SampleSummary.of(values, 0.0));
        assertThrows(IllegalArgumentException.class, () -> SampleSummary.of(values, Double.NaN));
    }

    @Test
    void nanValuesAreIgnoredAndNotCounted() {
        SampleSummary withNan = SampleSummary.of(new double[] {Double.NaN, 1, 2, Double.NaN, 3});
        assertEquals(SampleSummary.of(new double[] {1, 2, 3}), withNan);
    }

    @Test
    void oneValueHasAMeanButNoSpread() {
        SampleSummary s = SampleSummary.of(new double[] {71.5, Double.NaN});
        assertEquals(1, s.n());
        assertEquals(71.5, s.mean());
        assertTrue(Double.isNaN(s.sd()), "sd of one value is unknown, not 0");
        assertTrue(Double.isNaN(s.ciLow()));
        assertTrue(Double.isNaN(s.ciHigh()));
        assertFalse(s.hasInterval());
    }

    @Test
    void noValuesGiveNaNEverywhere() {
        for (double[] values : new double[][] {{}, {Double.NaN, Double.NaN}}) {
            SampleSummary s = SampleSummary.of(values);
            assertEquals(0, s.n());
            assertTrue(Double.isNaN(s.mean()));
            assertTrue(Double.isNaN(s.sd()));
            assertFalse(s.hasInterval());
        }
    }

    @Test
    void equalValuesGiveAZeroWidthInterval() {
        SampleSummary s = SampleSummary.of(new double[] {10, 10, 10});
        assertEquals(0.0, s.sd());
        assertEquals(10.0, s.ciLow());
        assertEquals(10.0, s.ciHigh());
    }

    @Test
    void smallSpreadNextToALargeMeanIsExact() {
        // a one-pass sum of squares would lose most digits here
        SampleSummary s = SampleSummary.of(new double[] {1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3});
        assertEquals(0.1, s.sd(), 1e-6);
    }
}
