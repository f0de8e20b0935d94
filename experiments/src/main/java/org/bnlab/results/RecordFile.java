package org.bnlab.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A per-run record file of one measurement, e.g. {@code activations.csv} or {@code probe.csv}: a plain CSV file in a
 * run folder with an exact header line and one row per record, records grouped by the 1-based epoch they were taken
 * in, epochs in training order. Same conventions as {@link MetricsCsv}: numbers as {@link Double#toString(double)}
 * (exact round trip, NaN and infinities spelled out), text fields without commas, quotes or line breaks (refused
 * rather than quoted, so the file stays readable with a plain split), strict reading (a wrong header or a malformed
 * row is a {@link ResultsException} naming the file and line).
 *
 * <p>A measurement declares its file once, as a constant, and its recorder and report read and write it through the
 * constant alone: {@link #writeEpoch} after each epoch, {@link #read} afterwards.
 *
 * @param <R> the record of one row
 */
public final class RecordFile<R> {

    /** Builds a record from the fields of one row (already split, not yet stripped). */
    @FunctionalInterface
    public interface RowReader<R> {
        /** @throws NumberFormatException for a field that is not a number where one is expected */
        R read(String[] fields);
    }

    private final String fileName;
    private final String header;
    private final CsvCodec<R> codec;
    private final ToIntFunction<R> epochOf;

    private RecordFile(String fileName, String header, Function<R, List<Object>> fields, RowReader<R> reader,
                       ToIntFunction<R> epochOf) {
        if (!fileName.endsWith(".csv") || fileName.contains("/")) {
            throw new IllegalArgumentException("a record file is a .csv file directly in the run folder, got "
                    + fileName);
        }
        this.fileName = fileName;
        this.header = header;
        this.codec = new CsvCodec<>(fileName.substring(0, fileName.length() - 4), header, fields, reader::read);
        this.epochOf = Objects.requireNonNull(epochOf, "epochOf");
    }

    /**
     * @param fileName the file's name in the run folder, ending in {@code .csv}
     * @param header   the exact header line, comma-separated column names
     * @param fields   a record's fields in header order (numbers, or text without commas, quotes or line breaks)
     * @param reader   a record from a row's fields
     * @param epochOf  the 1-based epoch a record was taken in
     */
    public static <R> RecordFile<R> of(String fileName, String header, Function<R, List<Object>> fields,
                                       RowReader<R> reader, ToIntFunction<R> epochOf) {
        return new RecordFile<>(fileName, header, fields, reader, epochOf);
    }

    /** The file's name in a run folder, e.g. {@code probe.csv}. */
    public String fileName() {
        return fileName;
    }

    /** The exact header line; readers check it so that a column mix-up fails loudly. */
    public String header() {
        return header;
    }

    /** The file in {@code folder} (which need not exist). */
    public Path in(RunFolder folder) {
        return folder.dir().resolve(fileName);
    }

    /** The records of {@code folder} so far, in file order; none when the run has no such file. */
    public List<R> read(RunFolder folder) {
        Path file = in(folder);
        return Files.exists(file) ? codec.read(file) : List.of();
    }

    /**
     * Records the rows of {@code epoch}, called once the epoch's metrics are written: rewrites the file atomically
     * with the rows of the earlier epochs as they are, then {@code rows}. Rows of this or a later epoch already in
     * the file were left by an interrupted attempt (the checkpoint is older than they are) and are dropped, so a
     * resumed run ends with exactly the file an uninterrupted one writes. The whole file is rewritten each epoch, like
     * {@code metrics.csv}, so that a crash never leaves half an epoch in it.
     *
     * @throws IllegalArgumentException if a row is not of {@code epoch}
     */
    public void writeEpoch(RunFolder folder, int epoch, List<R> rows) {
        if (rows.stream().anyMatch(r -> epochOf.applyAsInt(r) != epoch)) {
            throw new IllegalArgumentException("rows of another epoch given as epoch " + epoch + "'s");
        }
        List<R> all = new ArrayList<>(read(folder).stream().filter(r -> epochOf.applyAsInt(r) < epoch).toList());
        all.addAll(rows);
        codec.write(in(folder), all);
    }

    /** The whole file for {@code rows}, header included. */
    public String format(List<R> rows) {
        return codec.format(rows);
    }

    /** Parses what {@link #format} wrote; {@code source} names the file in errors. Blank lines are skipped. */
    public List<R> parse(String text, String source) {
        return codec.parse(text, source);
    }

    /** A number field as {@link Double#toString(double)} wrote it (NaN and infinities included). */
    public static double number(String field) {
        return CsvCodec.number(field);
    }

    @Override
    public String toString() {
        return fileName;
    }
}
