package org.bnlab.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ProbeRecordFileTest {

    private static final RecordFile<ProbeRow> RECORDS = org.bnlab.measure.ProbeMeasurement.RECORDS;

    private static ProbeRow row(int epoch, long iteration, String layer, double p50) {
        return new ProbeRow(epoch, iteration, layer, "conv", layer.replace("conv", "bn"), -0.9876543210123, p50,
                1.0 / 3, 1e-12, 0.75, 12.5, 3.0e-7, layer.replace("conv", "bn"), 0.125, 1.0625, 0.0);
    }

    @Test
    void roundTripsExactlyWithNaNsAndInfinities() {
        List<ProbeRow> rows = List.of(row(1, 0, "stem_conv", 0.1),
                new ProbeRow(1, 0, "fc", "output", "fc", Double.NaN, Double.POSITIVE_INFINITY, -0.0, 2, 3, 4, 5,
                        ProbeRow.NO_BN, Double.NaN, Double.NaN, Double.NaN));
        String text = RECORDS.format(rows);
        assertTrue(text.startsWith(RECORDS.header() + "\n"), text);
        assertEquals(rows, RECORDS.parse(text, "probe.csv"));
    }

    @Test
    void aMalformedFileIsNamedWithItsLine() {
        String text = RECORDS.header() + "\n1,0,stem_conv,conv,stem_bn,1,2,3\n";
        ResultsException e = assertThrows(ResultsException.class, () -> RECORDS.parse(text, "x/probe.csv"));
        assertTrue(e.getMessage().contains("x/probe.csv line 2"), e.getMessage());
        assertThrows(ResultsException.class, () -> RECORDS.parse("epoch,iteration\n", "x/probe.csv"));
    }

    @Test
    void anEpochRewriteDropsRowsOfThatEpochAndLaterLeftByAnInterruptedAttempt(@TempDir Path dir) throws Exception {
        RunFolder folder = RunFolder.at(dir);
        assertEquals(List.of(), RECORDS.read(folder));
        RECORDS.writeEpoch(folder, 1, List.of(row(1, 0, "stem_conv", 1)));
        RECORDS.writeEpoch(folder, 2, List.of(row(2, 3, "stem_conv", 2)));
        RECORDS.writeEpoch(folder, 3, List.of(row(3, 6, "stem_conv", 3))); // then a crash before epoch 3's checkpoint
        RECORDS.writeEpoch(folder, 2, List.of(row(2, 3, "stem_conv", 22))); // resumed after epoch 1
        assertEquals(List.of(row(1, 0, "stem_conv", 1), row(2, 3, "stem_conv", 22)), RECORDS.read(folder));
        assertTrue(Files.readString(RECORDS.in(folder)).startsWith(RECORDS.header()));
        assertThrows(IllegalArgumentException.class, () -> RECORDS.writeEpoch(folder, 4, List.of(row(3, 9, "a", 1))));
    }
}
