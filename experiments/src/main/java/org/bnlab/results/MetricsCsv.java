package org.bnlab.results;

import java.nio.file.Path;
import java.util.List;


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

    private static final CsvCodec<EpochMetrics> CODEC = new CsvCodec<>("metrics", HEADER,
            m -> List.of(m.epoch(), m.learningRate(), m.trainLoss(), m.trainAccuracy(), m.testLoss(),
                    m.testAccuracy(), m.epochSeconds(), m.elapsedSeconds(), m.trainImagesPerSecond()),
            f -> new EpochMetrics(Integer.parseInt(f[0].strip()), CsvCodec.number(f[1]), CsvCodec.number(f[2]),
                    CsvCodec.number(f[3]), CsvCodec.number(f[4]), CsvCodec.number(f[5]), CsvCodec.number(f[6]),
                    CsvCodec.number(f[7]), CsvCodec.number(f[8])));

    private MetricsCsv() {
    }

    /** Replaces {@code file} with all of {@code rows} in one atomic step. */
    public static void write(Path file, List<EpochMetrics> rows) {
        CODEC.write(file, rows);
    }

    /** Reads every row of {@code file}; throws {@link ResultsException} naming the file if it is malformed. */
    public static List<EpochMetrics> read(Path file) {
        return CODEC.read(file);
    }

    /** The full file content for {@code rows}, header included. */
    public static String format(List<EpochMetrics> rows) {
        return CODEC.format(rows);
    }

    /**
     * Parses file content produced by {@link #format}. {@code source} names the file in error messages. Blank lines
     * are skipped; anything else that is not a full row is an error (see {@link CsvCodec}).
     */
    public static List<EpochMetrics> parse(String text, String source) {
        return CODEC.parse(text, source);
    }
}
