package org.bnlab.results;

import org.bnlab.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The plain CSV files a run writes ({@code metrics.csv}, {@code activations.csv}): an exact header line, one row per
 * record, fields without quoting (text fields may not hold commas, quotes or line breaks), numbers as Java prints
 * them ({@code NaN} and {@code Infinity} included, so that a diverging run's values survive). Reading is strict: a
 * wrong header, a row with another number of fields or a field that does not parse is a {@link ResultsException}
 * naming the file and line, because a silently skipped row would shift every epoch-based number in a report.
 *
 * @param <R> the record of one row
 */
final class CsvCodec<R> {

    /** Builds a record from the fields of one row (already split, not yet stripped). */
    @FunctionalInterface
    interface RowReader<R> {
        R read(String[] fields);
    }

    private final String what;
    private final String header;
    private final int columns;
    private final Function<R, List<Object>> fields;
    private final RowReader<R> reader;

    /**
     * @param what   the file's name in messages, e.g. {@code metrics}
     * @param header the exact header line
     * @param fields a record's fields, in header order
     * @param reader a record from a row's fields; a malformed number throws {@link NumberFormatException}
     */
    CsvCodec(String what, String header, Function<R, List<Object>> fields, RowReader<R> reader) {
        this.what = what;
        this.header = header;
        this.columns = header.split(",").length;
        this.fields = fields;
        this.reader = reader;
    }

    /** Replaces {@code file} with all of {@code rows} in one atomic step. */
    void write(Path file, List<R> rows) {
        AtomicFiles.writeString(file, format(rows));
    }

    /** Reads every row of {@code file}. */
    List<R> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ResultsException("cannot read " + what + " file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /** The whole file for {@code rows}, header included. */
    String format(List<R> rows) {
        StringBuilder out = new StringBuilder(header).append('\n');
        for (R row : rows) {
            List<Object> values = fields.apply(row);
            for (int i = 0; i < values.size(); i++) {
                Object value = values.get(i);
                out.append(value instanceof String text ? checkedText(text) : String.valueOf(value))
                        .append(i + 1 < values.size() ? ',' : '\n');
            }
        }
        return out.toString();
    }

    /** Parses what {@link #format} wrote; {@code source} names the file in errors. Blank lines are skipped. */
    List<R> parse(String text, String source) {
        String[] lines = text.split("\r?\n", -1);
        if (lines.length == 0 || !lines[0].strip().equals(header)) {
            throw new ResultsException("malformed " + what + " file " + source + ": first line is not the header '"
                    + header + "'");
        }
        List<R> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != columns) {
                throw new ResultsException("malformed " + what + " file " + source + " line " + (i + 1)
                        + ": expected " + columns + " fields, found " + f.length);
            }
            try {
                rows.add(reader.read(f));
            } catch (NumberFormatException e) {
                throw new ResultsException("malformed " + what + " file " + source + " line " + (i + 1) + ": "
                        + e.getMessage(), e);
            }
        }
        return List.copyOf(rows);
    }

    static double number(String field) {
        return Double.parseDouble(field.strip());
    }

    private String checkedText(String field) {
        if (field.isEmpty() || field.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            throw new IllegalArgumentException(what + ".csv text field must be non-empty, without commas, "
                    + "quotes or line breaks: '" + field + "'");
        }
        return field;
    }
}
