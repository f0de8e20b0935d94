package org.bnlab.report.plot;

import org.knowm.xchart.style.AxesChartStyler;

/**
 * An axis's extent, set explicitly rather than left to XChart so that markers can be put at its top edge, and
 * labels or points moved a fixed fraction of its length.
 *
 * @param lo  bottom (or left end) of the axis, in data units (positive when {@code log})
 * @param hi  top (or right end) of the axis, greater than {@code lo}
 * @param log whether the axis is logarithmic
 */
record AxisRange(double lo, double hi, boolean log) {

    /** Share of the data's extent added above and below it, so no point sits on the frame. */
    private static final double PADDING = 0.06;
    /** Widest log axis, in powers of ten, on which every grid line is labelled. */
    static final double ALL_LABELS_DECADES = 1.3;

    /**
     * The range of {@code values} padded by 6% on each side (in log space on a log axis), then clipped to
     * {@code [floor, ceiling]}. Non-finite values, and values that are not positive on a log axis, are ignored;
     * without any value left the range is {@code [emptyLo, emptyHi]}.
     */
    static AxisRange around(double[] values, boolean log, double floor, double ceiling, double emptyLo,
                            double emptyHi) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v) && (!log || v > 0)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            return new AxisRange(emptyLo, emptyHi, log);
        }
        double lo;
        double hi;
        if (log) {
            double spread = max > min ? Math.log10(max / min) : 1.0;
            lo = min / Math.pow(10, PADDING * spread);
            hi = max * Math.pow(10, PADDING * spread);
        } else {
            double spread = max > min ? max - min : Math.max(Math.abs(max), 1.0);
            lo = min - PADDING * spread;
            hi = max + PADDING * spread;
        }
        return new AxisRange(Math.max(lo, floor), Math.min(hi, ceiling), log);
    }

    /** Where {@code value} lies along the axis: 0 at {@code lo}, 1 at {@code hi}. */
    double fractionOf(double value) {
        if (log) {
            return Math.log(value / lo) / Math.log(hi / lo);
        }
        return (value - lo) / (hi - lo);
    }

    /** {@code value} moved up (or right) by {@code fraction} of the axis's length, down for a negative one. */
    double shifted(double value, double fraction) {
        if (log) {
            return value * Math.pow(hi / lo, fraction);
        }
        return value + fraction * (hi - lo);
    }

    /**
     * Sets this range on the styler's y axis. XChart draws a log axis's grid lines at 1..9 times each power of ten;
     * labelling only the powers (its default) would leave a loss from 0.3 to 2.5 with a single label, while
     * labelling every line crowds the top of each decade once the axis spans several. So every line is labelled
     * up to {@value #ALL_LABELS_DECADES} decades, only the powers of ten beyond. (A formatting function cannot
     * thin the labels instead: XChart then computes linear ticks, and on a log axis hangs.)
     */
    void applyToY(AxesChartStyler styler) {
        styler.setYAxisLogarithmic(log);
        styler.setYAxisMin(lo);
        styler.setYAxisMax(hi);
        if (log) {
            styler.setYAxisLogarithmicDecadeOnly(Math.log10(hi / lo) > ALL_LABELS_DECADES);
        }
    }
}
