package org.bnlab.results;

import java.nio.file.Path;
import java.util.List;


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

    private static final CsvCodec<ActivationRow> CODEC = new CsvCodec<>("activations", HEADER,
            row -> {
                LayerActivationStats s = row.stats();
                return List.of(row.epoch(), row.iteration(), s.layer(), s.kind(), s.shape(), s.mean(), s.std(),
                        s.min(), s.max(), s.meanAbs(), s.zeroFraction());
            },
            f -> new ActivationRow(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()),
                    new LayerActivationStats(f[2].strip(), f[3].strip(), f[4].strip(), CsvCodec.number(f[5]),
                            CsvCodec.number(f[6]), CsvCodec.number(f[7]), CsvCodec.number(f[8]),
                            CsvCodec.number(f[9]), CsvCodec.number(f[10]))));

    private ActivationsCsv() {
    }

    /** Replaces {@code file} with all of {@code rows} in one atomic step. */
    public static void write(Path file, List<ActivationRow> rows) {
        CODEC.write(file, rows);
    }

    /** Reads every row of {@code file}; throws {@link ResultsException} naming the file if it is malformed. */
    public static List<ActivationRow> read(Path file) {
        return CODEC.read(file);
    }

    /** The full file content for {@code rows}, header included. */
    public static String format(List<ActivationRow> rows) {
        return CODEC.format(rows);
    }

    /**
     * Parses file content produced by {@link #format}; {@code source} names the file in error messages. Blank lines
     * are skipped; anything else that is not a full row is an error.
     */
    public static List<ActivationRow> parse(String text, String source) {
        return CODEC.parse(text, source);
    }
}
