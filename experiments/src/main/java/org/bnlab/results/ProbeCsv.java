package org.bnlab.results;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads and writes {@code probe.csv}: per-weight-layer measurements on the fixed probe batch ({@link ProbeRow}), one
 * row per (snapshot, weight layer), snapshots in training order and layers from input to output (the model builder's order). Same
 * conventions as {@link ActivationsCsv}: numbers as {@link Double#toString(double)} (exact round trip, NaN spelled
 * out), a fixed header that readers check, text fields without commas.
 */
public final class ProbeCsv {

    /** The exact header line. */
    public static final String HEADER = "epoch,iteration,layer,kind,pre_activation,p15,p50,p85,mean,std,weight_norm,"
            + "grad_norm,bn,bn_mean_gap,bn_var_ratio,gamma_near_zero";

    private static final CsvCodec<ProbeRow> CODEC = new CsvCodec<>("probe", HEADER,
            r -> List.of(r.epoch(), r.iteration(), r.layer(), r.kind(), r.preActivation(), r.p15(), r.p50(), r.p85(),
                    r.mean(), r.std(), r.weightNorm(), r.gradientNorm(), r.bn(), r.bnMeanGap(), r.bnVarRatio(),
                    r.gammaNearZero()),
            f -> new ProbeRow(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()), f[2].strip(),
                    f[3].strip(), f[4].strip(), CsvCodec.number(f[5]), CsvCodec.number(f[6]), CsvCodec.number(f[7]),
                    CsvCodec.number(f[8]), CsvCodec.number(f[9]), CsvCodec.number(f[10]), CsvCodec.number(f[11]),
                    f[12].strip(), CsvCodec.number(f[13]), CsvCodec.number(f[14]), CsvCodec.number(f[15])));

    private ProbeCsv() {
    }

    /** Replaces {@code file} with all of {@code rows} in one atomic step. */
    public static void write(Path file, List<ProbeRow> rows) {
        CODEC.write(file, rows);
    }

    /** Reads every row of {@code file}; throws {@link ResultsException} naming the file if it is malformed. */
    public static List<ProbeRow> read(Path file) {
        return CODEC.read(file);
    }

    /** The full file content for {@code rows}, header included. */
    public static String format(List<ProbeRow> rows) {
        return CODEC.format(rows);
    }

    /** Parses what {@link #format} wrote; {@code source} names the file in errors. */
    public static List<ProbeRow> parse(String text, String source) {
        return CODEC.parse(text, source);
    }
}
