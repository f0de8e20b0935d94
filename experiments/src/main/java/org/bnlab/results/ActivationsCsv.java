package org.bnlab.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bnlab.io.AtomicFiles;

/**
 * Reads and writes {@code activations.csv}: per-layer activation statistics at training snapshots, one row per
 * (snapshot, layer), snapshots in training order and layers in the network's topological order.
 *
 * <p>Same conventions as {@link MetricsCsv}: numbers as {@link Double#toString(double)} (exact round trip; NaN and
 * infinities of a diverging run spelled out), a fixed header that readers check. The text fields (layer, kind,
 * shape) are vertex names and short labels; a comma or line break in one is refused rather than quoted, so the
 * file stays readable with a plain split.
 */
public final class ActivationsCsv {

    /** The exact header line; readers check it so that a column mix-up fails loudly. */
    public static final String HEADER = "epoch,iteration,layer,kind,shape,mean,std,min,max,mean_abs,zero_fraction";

    private static final int COLUMNS = HEADER.split(",").length;

    private ActivationsCsv() {
    }

    /** Replaces {@code file} with all of {@code rows} in one atomic step. */
    public static void write(Path file, List<ActivationRow> rows) {
        AtomicFiles.writeString(file, format(rows));
    }

    /** Reads every row of {@code file}; throws {@link ResultsException} naming the file if it is malformed. */
    public static List<ActivationRow> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ResultsException("cannot read activations file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /** The full file content for {@code rows}, header included. */
    public static String format(List<ActivationRow> rows) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (ActivationRow row : rows) {
            LayerActivationStats s = row.stats();
            out.append(row.epoch()).append(',')
                    .append(row.iteration()).append(',')
                    .append(text(s.layer())).append(',')
                    .append(text(s.kind())).append(',')
                    .append(text(s.shape())).append(',')
                    .append(s.mean()).append(',')
                    .append(s.std()).append(',')
                    .append(s.min()).append(',')
                    .append(s.max()).append(',')
                    .append(s.meanAbs()).append(',')
                    .append(s.zeroFraction()).append('\n');
        }
        return out.toString();
    }

    /**
     * Parses file content produced by {@link #format}; {@code source} names the file in error messages. Blank lines
     * are skipped; anything else that is not a full row is an error.
     */
    public static List<ActivationRow> parse(String text, String source) {
        String[] lines = text.split("\r?\n", -1);
        if (lines.length == 0 || !lines[0].strip().equals(HEADER)) {
            throw new ResultsException("malformed activations file " + source + ": first line is not the header '"
                    + HEADER + "'");
        }
        List<ActivationRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                rows.add(parseRow(line, source, i + 1));
            }
        }
        return List.copyOf(rows);
    }

    private static ActivationRow parseRow(String line, String source, int lineNumber) {
        String[] f = line.split(",", -1);
        if (f.length != COLUMNS) {
            throw new ResultsException("malformed activations file " + source + " line " + lineNumber
                    + ": expected " + COLUMNS + " fields, found " + f.length);
        }
        try {
            LayerActivationStats stats = new LayerActivationStats(f[2].strip(), f[3].strip(), f[4].strip(),
                    number(f[5]), number(f[6]), number(f[7]), number(f[8]), number(f[9]), number(f[10]));
            return new ActivationRow(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()), stats);
        } catch (NumberFormatException e) {
            throw new ResultsException("malformed activations file " + source + " line " + lineNumber + ": "
                    + e.getMessage(), e);
        }
    }

    private static String text(String field) {
        if (field.isEmpty() || field.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            throw new IllegalArgumentException("activations.csv text field must be non-empty, without commas, "
                    + "quotes or line breaks: '" + field + "'");
        }
        return field;
    }

    private static double number(String field) {
        return Double.parseDouble(field.strip());
    }
}
