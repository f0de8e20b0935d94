package org.bnlab.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bnlab.io.AtomicFiles;

/**
 * Reads and writes {@code metrics.csv}, one row per finished epoch.
 *
 * <p>Numbers are written with {@link Double#toString(double)} and read with
 * {@link Double#parseDouble(String)}: that pair round-trips every double exactly, and spells the
 * values of a diverged epoch as {@code NaN}, {@code Infinity} and {@code -Infinity}, which
 * pandas, R and Tablesaw all read back. A hand-written format (rather than a CSV library) keeps
 * that exactness and the fixed header under our control.
 */
public final class MetricsCsv {

    /** The exact header line; readers check it so that a column mix-up fails loudly. */
    public static final String HEADER = "epoch,learning_rate,train_loss,train_accuracy,test_loss,test_accuracy,"
            + "epoch_seconds,elapsed_seconds,train_images_per_second";

    private static final int COLUMNS = HEADER.split(",").length;

    private MetricsCsv() {
    }

    /** Replaces {@code file} with all of {@code rows} in one atomic step. */
    public static void write(Path file, List<EpochMetrics> rows) {
        AtomicFiles.writeString(file, format(rows));
    }

    /** Reads every row of {@code file}; throws {@link ResultsException} naming the file if it is malformed. */
    public static List<EpochMetrics> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ResultsException("cannot read metrics file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /** The full file content for {@code rows}, header included. */
    public static String format(List<EpochMetrics> rows) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (EpochMetrics m : rows) {
            out.append(m.epoch()).append(',')
                    .append(m.learningRate()).append(',')
                    .append(m.trainLoss()).append(',')
                    .append(m.trainAccuracy()).append(',')
                    .append(m.testLoss()).append(',')
                    .append(m.testAccuracy()).append(',')
                    .append(m.epochSeconds()).append(',')
                    .append(m.elapsedSeconds()).append(',')
                    .append(m.trainImagesPerSecond()).append('\n');
        }
        return out.toString();
    }

    /**
     * Parses file content produced by {@link #format}. {@code source} names the file in error
     * messages. Blank lines are skipped; anything else that is not a full row is an error,
     * because a silently skipped row would shift every epoch-based number in a report.
     */
    public static List<EpochMetrics> parse(String text, String source) {
        String[] lines = text.split("\r?\n", -1);
        if (lines.length == 0 || !lines[0].strip().equals(HEADER)) {
            throw new ResultsException("malformed metrics file " + source + ": first line is not the header '"
                    + HEADER + "'");
        }
        List<EpochMetrics> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                rows.add(parseRow(line, source, i + 1));
            }
        }
        return List.copyOf(rows);
    }

    private static EpochMetrics parseRow(String line, String source, int lineNumber) {
        String[] f = line.split(",", -1);
        if (f.length != COLUMNS) {
            throw new ResultsException("malformed metrics file " + source + " line " + lineNumber + ": expected "
                    + COLUMNS + " fields, found " + f.length);
        }
        try {
            return new EpochMetrics(
                    Integer.parseInt(f[0].strip()),
                    number(f[1]), number(f[2]), number(f[3]), number(f[4]),
                    number(f[5]), number(f[6]), number(f[7]), number(f[8]));
        } catch (NumberFormatException e) {
            throw new ResultsException("malformed metrics file " + source + " line " + lineNumber + ": "
                    + e.getMessage(), e);
        }
    }

    private static double number(String field) {
        return Double.parseDouble(field.strip());
    }
}
