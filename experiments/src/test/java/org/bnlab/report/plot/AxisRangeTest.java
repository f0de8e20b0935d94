package org.bnlab.report.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AxisRangeTest {

    @Test
    void linearRangeIsPaddedAndClipped() {
        AxisRange r = AxisRange.around(new double[] {20, 70, Double.NaN}, false, 0, 100, 0, 1);
        assertEquals(17.0, r.lo(), 1e-12);
        assertEquals(73.0, r.hi(), 1e-12);
        AxisRange clipped = AxisRange.around(new double[] {2, 99}, false, 0, 100, 0, 1);
        assertEquals(0.0, clipped.lo());
        assertEquals(100.0, clipped.hi());
    }

    @Test
    void logRangeIsPaddedInDecadesAndIgnoresNonPositiveValues() {
        AxisRange r = AxisRange.around(new double[] {0.01, 100, 0.0, -1}, true, 0, Double.POSITIVE_INFINITY, 1, 2);
        // 4 decades, padded by 6% of 4 = 0.24 decades each side
        assertEquals(0.01 / Math.pow(10, 0.24), r.lo(), 1e-12);
        assertEquals(100 * Math.pow(10, 0.24), r.hi(), 1e-9);
        assertEquals(1.0, r.fractionOf(r.hi()), 1e-12);
        assertEquals(0.5, r.fractionOf(1.0), 1e-12);
    }

    @Test
    void withoutValuesTheFallbackIsUsed() {
        AxisRange r = AxisRange.around(new double[] {Double.NaN}, true, 0, Double.POSITIVE_INFINITY, 0.1, 10);
        assertEquals(new AxisRange(0.1, 10, true), r);
    }

    @Test
    void shiftingMovesByAFractionOfTheAxis() {
        assertEquals(60.0, new AxisRange(0, 100, false).shifted(50, 0.1), 1e-12);
        assertEquals(10.0, new AxisRange(1, 100, true).shifted(1, 0.5), 1e-12);
    }
}
