package org.bnlab.report;

import java.util.List;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Renders a Tablesaw table as a GitHub-flavoured Markdown table: a header row, a delimiter row
 * (numbers right-aligned so their digits line up) and one row per table row. Cells are the
 * columns' print-formatted values, so they match what {@link Table#print()} shows.
 */
final class MarkdownTable {

    private MarkdownTable() {
    }

    static String render(Table table) {
        List<Column<?>> columns = table.columns();
        StringBuilder out = new StringBuilder();
        out.append('|');
        for (Column<?> column : columns) {
            out.append(' ').append(escape(column.name())).append(" |");
        }
        out.append("\n|");
        for (Column<?> column : columns) {
            out.append(column instanceof NumericColumn<?> ? " ---: |" : " --- |");
        }
        out.append('\n');
        for (int row = 0; row < table.rowCount(); row++) {
            out.append('|');
            for (Column<?> column : columns) {
                out.append(' ').append(escape(column.getString(row))).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A pipe would end the cell and a line break the row, so neither may appear raw in a cell. */
    private static String escape(String cell) {
        return cell.replace("|", "\\|").replaceAll("\\R", " ");
    }
}
