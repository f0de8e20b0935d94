package org.bnlab.report.stats;

import tech.tablesaw.aggregate.AggregateFunction;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.table.TableSliceGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Tablesaw aggregate functions for {@code table.summarize(columns, MEAN, SD, N, CI_LOW, CI_HIGH).by(keys)}: each
 * is a field of the group's {@link SampleSummary} (95% Student t interval), so a grouped table and a headline
 * computed from the same values agree to the last bit. Missing values (NaN, an empty cell) are skipped and not
 * counted, as {@link SampleSummary} skips NaN; infinite values are kept.
 *
 * <p>Tablesaw's own {@code mean} is not used: Commons Math's corrected two-pass mean can differ from
 * {@link SampleSummary#mean()} in the last bit, which rounding to 4 decimals can turn into a different CSV.
 *
 * <p>{@link #summarizeBy} is the grouping every report table uses: one row per distinct combination of the key
 * columns, in the order of its first row.
 */
public final class SampleAggregates {

    /** Arithmetic mean of the values present; NaN without any. Output column {@code mean [column]}. */
    public static final AggregateFunction<NumericColumn<?>, Double> MEAN = numeric("mean", SampleSummary::mean);
    /** Sample standard deviation (divided by n - 1); NaN below 2 values. */
    public static final AggregateFunction<NumericColumn<?>, Double> SD = numeric("sd", SampleSummary::sd);
    /** Lower end of the 95% Student t interval of the mean; NaN below 2 values. */
    public static final AggregateFunction<NumericColumn<?>, Double> CI_LOW = numeric("ci_low", SampleSummary::ciLow);
    /** Upper end of the 95% Student t interval of the mean; NaN below 2 values. */
    public static final AggregateFunction<NumericColumn<?>, Double> CI_HIGH =
            numeric("ci_high", SampleSummary::ciHigh);
    /** How many values are present (missing ones not counted), as an integer column. */
    public static final AggregateFunction<NumericColumn<?>, Integer> N =
            new AggregateFunction<>("n") {
                @Override
                public Integer summarize(NumericColumn<?> column) {
                    return SampleSummary.of(values(column)).n();
                }

                @Override
                public boolean isCompatibleColumn(ColumnType type) {
                    return numericType(type);
                }

                @Override
                public ColumnType returnType() {
                    return ColumnType.INTEGER;
                }
            };
    /** How many rows the group has, missing values included, as an integer column; applies to any column. */
    public static final AggregateFunction<Column<?>, Integer> ROWS =
            new AggregateFunction<>("rows") {
                @Override
                public Integer summarize(Column<?> column) {
                    return column.size();
                }

                @Override
                public boolean isCompatibleColumn(ColumnType type) {
                    return true;
                }

                @Override
                public ColumnType returnType() {
                    return ColumnType.INTEGER;
                }
            };

    /** The first row of each group in the source table, summarised from a row-number column. */
    private static final AggregateFunction<NumericColumn<?>, Integer> FIRST_ROW =
            new AggregateFunction<>("first_row") {
                @Override
                public Integer summarize(NumericColumn<?> column) {
                    return (int) column.getDouble(0);
                }

                @Override
                public boolean isCompatibleColumn(ColumnType type) {
                    return type.equals(ColumnType.INTEGER);
                }

                @Override
                public ColumnType returnType() {
                    return ColumnType.INTEGER;
                }
            };
    private static final String ROW_NUMBER = "_row_number_";

    private SampleAggregates() {
    }

    /**
     * How many rows of a text column hold exactly {@code value} (e.g. runs with status {@code diverged}), as an
     * integer column named {@code functionName [column]}; applies to text columns only.
     */
    public static AggregateFunction<Column<?>, Integer> occurrences(String functionName, String value) {
        return new AggregateFunction<>(functionName) {
            @Override
            public Integer summarize(Column<?> column) {
                int count = 0;
                for (int i = 0; i < column.size(); i++) {
                    if (value.equals(column.getString(i))) {
                        count++;
                    }
                }
                return count;
            }

            @Override
            public boolean isCompatibleColumn(ColumnType type) {
                return type.equals(ColumnType.STRING);
            }

            @Override
            public ColumnType returnType() {
                return ColumnType.INTEGER;
            }
        };
    }

    /** The name of the column that {@code function} applied to {@code column} gets: {@code mean [accuracy_pct]}. */
    public static String name(AggregateFunction<?, ?> function, String column) {
        return TableSliceGroup.aggregateColumnName(column, function.functionName());
    }

    /**
     * {@code table.summarize(columns, functions).by(keys)}: one row per distinct combination of the {@code keys}
     * columns, in the order of the group's first row in {@code table} (no keys: one row for the whole table, none
     * for an empty one). The key columns come first, with their type and text exactly as in {@code table}
     * (Tablesaw rebuilds them by parsing the group's name, which would turn a value such as {@code NA} or
     * {@code null} into a missing cell); then a column {@link #name(AggregateFunction, String)} for every
     * function that applies to a column's type. {@code table} is not changed.
     *
     * @throws IllegalArgumentException if a name is not a column of {@code table}, or no function applies to
     *                                  any of {@code columns}
     */
    public static Table summarizeBy(Table table, List<String> keys, List<String> columns,
                                    AggregateFunction<?, ?>... functions) {
        List<String> used = new ArrayList<>(keys);
        columns.stream().filter(c -> !used.contains(c)).forEach(used::add);
        Table source = table.selectColumns(used.toArray(String[]::new));
        source.addColumns(IntColumn.indexColumn(ROW_NUMBER, table.rowCount(), 0));
        List<String> summarized = new ArrayList<>(columns);
        summarized.add(ROW_NUMBER);
        AggregateFunction<?, ?>[] all = new AggregateFunction<?, ?>[functions.length + 1];
        System.arraycopy(functions, 0, all, 0, functions.length);
        all[functions.length] = FIRST_ROW;
        Table grouped = source.summarize(summarized, all).by(keys.toArray(String[]::new));
        // groups come in the order of their first row (Tablesaw 0.44 keeps them in a LinkedHashMap); sorting says
        // so rather than relying on it
        String firstRow = name(FIRST_ROW, ROW_NUMBER);
        grouped = grouped.sortAscendingOn(firstRow);
        int[] first = grouped.intColumn(firstRow).asIntArray();
        Table result = Table.create(table.name());
        keys.forEach(k -> result.addColumns(table.column(k).subset(first).setName(k)));
        for (Column<?> column : grouped.columns()) {
            // not the row numbers' aggregates, nor the row-number function applied to the integer columns
            if (!keys.contains(column.name()) && !column.name().endsWith("[" + ROW_NUMBER + "]")
                    && !column.name().startsWith(FIRST_ROW.functionName() + " [")) {
                result.addColumns(column);
            }
        }
        return result;
    }

    private static AggregateFunction<NumericColumn<?>, Double> numeric(String name,
                                                                      ToDoubleFunction<SampleSummary> field) {
        return new AggregateFunction<>(name) {
            @Override
            public Double summarize(NumericColumn<?> column) {
                return field.applyAsDouble(SampleSummary.of(values(column)));
            }

            @Override
            public boolean isCompatibleColumn(ColumnType type) {
                return numericType(type);
            }

            @Override
            public ColumnType returnType() {
                return ColumnType.DOUBLE;
            }
        };
    }

    /** The column's values in row order, a missing one as NaN (an integer column's missing value too). */
    private static double[] values(NumericColumn<?> column) {
        double[] values = new double[column.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.isMissing(i) ? Double.NaN : column.getDouble(i);
        }
        return values;
    }

    private static boolean numericType(ColumnType type) {
        return type.equals(ColumnType.DOUBLE) || type.equals(ColumnType.FLOAT) || type.equals(ColumnType.INTEGER)
                || type.equals(ColumnType.SHORT) || type.equals(ColumnType.LONG);
    }
}
