package org.bnlab.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bnlab.io.AtomicFiles;
import org.bnlab.results.ProbeRow;
import org.bnlab.results.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code probe-summary.csv} from hand-made probe files: per arm and layer, means over the arm's runs at the first
 * snapshot and at the last one every run has; a NaN in one run's value gives an empty cell, not the other runs' mean.
 */
class ProbeSummaryTest {

    @TempDir
    Path tmp;

    /** A probe row whose fields are {@code base}, {@code base + 1}, ...; BN fields NaN without BN. */
    private static ProbeRow row(long iteration, String layer, double base, boolean bn) {
        return new ProbeRow(1, iteration, layer, "conv", layer, base, base + 1, base + 2, 0.0, 1.0, base + 4,
                base + 3, bn ? "bn" : ProbeRow.NO_BN, bn ? base + 5 : Double.NaN, bn ? base + 6 : Double.NaN,
                bn ? 0.0 : Double.NaN);
    }

    /** A run of arm {@code arm} in {@code dir} whose probe file holds {@code rows}. */
    private static MeasuredRun run(Path dir, String name, String arm, List<ProbeRow> rows) {
        RunFolder folder = RunFolder.at(dir.resolve(name));
        AtomicFiles.writeString(ProbeMeasurement.RECORDS.in(folder), ProbeMeasurement.RECORDS.format(rows));
        return new MeasuredRun(name, arm, folder, null);
    }

    @Test
    void meansOverTheArmsRunsAtTheFirstAndTheLastCommonSnapshot() {
        String bn = "normalization=batchnorm, init=he";
        String zero = "normalization=none, init=zero-residual";
        MeasuredRun bn1 = run(tmp, "bn1", bn, List.of(row(0, "stem_conv", 1, true), row(0, "fc", 20, true),
                row(4, "stem_conv", 90, true), row(4, "fc", 90, true)));
        // the second run's last snapshot is at iteration 2, so the arm's last common one is; its stem's median at
        // iteration 0 is NaN
        ProbeRow nanMedian = row(0, "stem_conv", 3, true);
        nanMedian = new ProbeRow(1, 0, "stem_conv", "conv", "stem_conv", nanMedian.p15(), Double.NaN,
                nanMedian.p85(), 0.0, 1.0, nanMedian.weightNorm(), nanMedian.gradientNorm(), "bn",
                nanMedian.bnMeanGap(), nanMedian.bnVarRatio(), 0.0);
        MeasuredRun bn2 = run(tmp, "bn2", bn, List.of(nanMedian, row(0, "fc", 22, true), row(2, "stem_conv", 10, true),
                row(2, "fc", 30, true)));
        MeasuredRun zero1 = run(tmp, "zero1", zero, List.of(row(0, "stem_conv", 40, false), row(0, "fc", 50, false)));

        String csv = ProbeReport.read("bn-vs-nobn", List.of(bn1, bn2, zero1)).summaryCsv();

        assertEquals(String.join("\n", ProbeReport.HEADER,
                "\"normalization=batchnorm, init=he\",stem_conv,2,0,2,2.00000,,4.00000,10.0000,11.0000,12.0000,"
                        + "5.00000,6.00000,15.0000,16.0000,0.00000",
                "\"normalization=batchnorm, init=he\",fc,2,0,2,21.0000,22.0000,23.0000,30.0000,31.0000,32.0000,"
                        + "24.0000,25.0000,35.0000,36.0000,0.00000",
                "\"normalization=none, init=zero-residual\",stem_conv,1,0,0,40.0000,41.0000,42.0000,40.0000,41.0000,"
                        + "42.0000,43.0000,44.0000,,,",
                "\"normalization=none, init=zero-residual\",fc,1,0,0,50.0000,51.0000,52.0000,50.0000,51.0000,"
                        + "52.0000,53.0000,54.0000,,,") + "\n", csv);
    }
}
