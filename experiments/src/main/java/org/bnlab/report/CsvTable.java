package org.bnlab.report;

import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

import java.io.StringWriter;

/** The CSV text of a report table, as every CSV file of the report is written. */
final class CsvTable {

    private CsvTable() {
    }

    /**
     * {@code table} as CSV with Tablesaw's defaults: a header row of the column names, then one line per row;
     * raw values, not the print format, so that the file loses nothing for later analysis (a missing value, NaN
     * included, is an empty cell).
     */
    static String csv(Table table) {
        StringWriter out = new StringWriter();
        table.write().csv(CsvWriteOptions.builder(out).build());
        return out.toString();
    }
}
