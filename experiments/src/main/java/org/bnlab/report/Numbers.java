package org.bnlab.report;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * Number conversions and formats shared by the report's tables, headline and Markdown.
 *
 * <p>Everything is formatted with {@link Locale#ROOT} so that a report written on a machine with a
 * German or French locale still has decimal points, not commas, in its CSV and Markdown.
 */
final class Numbers {

    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.ROOT);

    private Numbers() {
    }

    /**
     * A 0..1 accuracy as a percentage, or NaN (Tablesaw's missing value) for null.
     *
     * <p>Rounded to 4 decimals: {@code 0.57 * 100} is {@code 56.99999999999999} in binary floating
     * point, which would otherwise end up in the CSV. 4 decimals of a percent are far finer than one
     * test image of even a 100,000-image test set, so nothing measurable is lost.
     */
    static double percent(Double fraction) {
        return fraction == null ? Double.NaN : round4(fraction * 100.0);
    }

    /** Rounds to 4 decimals, leaving NaN and infinities as they are. */
    static double round4(double value) {
        return Double.isFinite(value) ? Math.round(value * 10_000.0) / 10_000.0 : value;
    }

    /** A copy of {@code column} with every value {@linkplain #round4 rounded to 4 decimals}. */
    static DoubleColumn rounded(DoubleColumn column) {
        DoubleColumn copy = DoubleColumn.create(column.name());
        for (int i = 0; i < column.size(); i++) {
            copy.append(round4(column.getDouble(i)));
        }
        return copy;
    }

    /** The shortest plain decimal for a configuration value such as a learning rate: 0.1, 0.0001, 1. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** {@code value} with exactly {@code decimals} decimals. */
    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** {@code value} with one decimal and an explicit sign, for differences: +19.3, -2.0. */
    static String signed1(double value) {
        return String.format(Locale.ROOT, "%+.1f", value);
    }

    /** A Tablesaw print formatter for {@code pattern} (a {@link DecimalFormat} pattern); missing values print empty. */
    static NumberColumnFormatter formatter(String pattern) {
        return new NumberColumnFormatter(new DecimalFormat(pattern, SYMBOLS), "");
    }
}
