package org.bnlab.report.stats;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Plain-language text for a {@link MeanDifference} or a {@link SampleSummary}, for headlines and report
 * prose, for example {@code +3.2 points (95% CI -1.1 to +7.5, n = 3 vs 3; the interval includes zero)}.
 *
 * <p>Numbers are rounded to a fixed number of decimals with {@link Locale#ROOT} (decimal point whatever the
 * machine's locale). Differences carry an explicit sign; a summary's mean does not. When there is no
 * interval the text says why (too few values) instead of printing NaN.
 */
public final class IntervalText {

    private IntervalText() {
    }

    /** {@link #describe(MeanDifference, String, int)} with one decimal. */
    public static String describe(MeanDifference d, String unit) {
        return describe(d, unit, 1);
    }

    /**
     * A difference with its interval and sample sizes, e.g. {@code +3.2 points (95% CI -1.1 to +7.5, n = 3 vs 3)},
     * followed inside the parentheses by {@code ; the interval includes zero} when it does. Without an interval:
     * {@code +3.2 points (no confidence interval: n = 1 vs 3, it needs at least 2 on each side)}. With zero
     * variance on both sides: {@code ...; every run on each side gave the same value}.
     *
     * @param unit     unit of the values, e.g. {@code points} (after a space), {@code %} (directly) or empty
     * @param decimals decimals of every number, 0 or more
     * @throws IllegalArgumentException if {@code decimals} is negative
     */
    public static String describe(MeanDifference d, String unit, int decimals) {
        String sizes = "n = " + d.nA() + " vs " + d.nB();
        if (Double.isNaN(d.difference())) {
            return "no difference (" + sizes + ")";
        }
        String estimate = withUnit(signed(d.difference(), decimals), unit);
        if (!d.hasInterval()) {
            return estimate + " (no confidence interval: " + sizes + ", it needs at least 2 on each side)";
        }
        StringBuilder text = new StringBuilder(estimate).append(" (").append(levelText(d.level())).append(" CI ")
                .append(signed(d.ciLow(), decimals)).append(" to ").append(signed(d.ciHigh(), decimals))
                .append(", ").append(sizes);
        if (Double.isNaN(d.df())) {
            text.append("; every run on each side gave the same value");
        }
        if (d.includesZero()) {
            text.append("; the interval includes zero");
        }
        return text.append(')').toString();
    }

    /** {@link #describe(SampleSummary, String, int)} with one decimal. */
    public static String describe(SampleSummary s, String unit) {
        return describe(s, unit, 1);
    }

    /**
     * A mean with its interval and sample size, e.g. {@code 71.3% (95% CI 69.0 to 73.6, n = 3)}; without an
     * interval {@code 71.3% (n = 1, no confidence interval)}; without values {@code no values (n = 0)}.
     *
     * @param unit     unit of the values, e.g. {@code %} (directly after the number), {@code points} (after a
     *                 space) or empty
     * @param decimals decimals of every number, 0 or more
     * @throws IllegalArgumentException if {@code decimals} is negative
     */
    public static String describe(SampleSummary s, String unit, int decimals) {
        if (s.n() == 0) {
            return "no values (n = 0)";
        }
        String mean = withUnit(fixed(s.mean(), decimals), unit);
        if (!s.hasInterval()) {
            return mean + " (n = " + s.n() + ", no confidence interval)";
        }
        return mean + " (" + levelText(s.level()) + " CI " + fixed(s.ciLow(), decimals) + " to "
                + fixed(s.ciHigh(), decimals) + ", n = " + s.n() + ")";
    }

    /** A confidence level as a percentage without needless decimals: 0.95 -> {@code 95%}, 0.995 -> {@code 99.5%}. */
    static String levelText(double level) {
        return BigDecimal.valueOf(level).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    private static String signed(double value, int decimals) {
        return format("%+." + checked(decimals) + "f", value);
    }

    private static String fixed(double value, int decimals) {
        return format("%." + checked(decimals) + "f", value);
    }

    /** Formats with {@link Locale#ROOT}, writing a value that rounds to zero as 0 rather than -0. */
    private static String format(String pattern, double value) {
        String text = String.format(Locale.ROOT, pattern, value);
        String zero = String.format(Locale.ROOT, pattern, 0.0);
        return text.equals(String.format(Locale.ROOT, pattern, -0.0)) ? zero : text;
    }

    /**
     * {@code number} followed by {@code unit}: after a space for a word ({@code 3.2 points}), directly for a unit
     * that starts with {@code %} ({@code 71.3%}), not at all for an empty unit.
     */
    static String withUnit(String number, String unit) {
        if (unit.isEmpty() || unit.startsWith("%")) {
            return number + unit;
        }
        return number + " " + unit;
    }

    private static int checked(int decimals) {
        if (decimals < 0) {
            throw new IllegalArgumentException("decimals must be 0 or more, got " + decimals);
        }
        return decimals;
    }
}
