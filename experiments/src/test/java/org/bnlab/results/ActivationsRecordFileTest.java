package org.bnlab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationsRecordFileTest {

    private static final RecordFile<ActivationRow> RECORDS = org.bnlab.measure.ActivationStatsMeasurement.RECORDS;

    @TempDir
    Path tmp;

    static ActivationRow row(int epoch, long iteration, String layer, double mean) {
        return new ActivationRow(epoch, iteration, new LayerActivationStats(layer, "batchnorm+relu", "128x32x32x16",
                mean, 0.8123456789012345, 0.0, 5.25, 0.5, 0.4990234375));
    }

    @Test
    void roundTripsExactlyIncludingNanAndInfinity() throws Exception {
        Path file = tmp.resolve("activations.csv");
        ActivationRow diverged = new ActivationRow(2, 120, new LayerActivationStats("s1b1_relu", "add+relu",
                "16x8x8x16", Double.NaN, Double.POSITIVE_INFINITY, 0.0, Double.POSITIVE_INFINITY, Double.NaN, 0.25));
        List<ActivationRow> rows = List.of(row(1, 0, "stem_conv", -0.012345678901234567), diverged);

        Files.writeString(file, RECORDS.format(rows));

        assertEquals(rows, RECORDS.read(RunFolder.at(tmp)));
    }

    @Test
    void writesTheDocumentedColumns() throws Exception {
        Path file = tmp.resolve("activations.csv");
        Files.writeString(file, RECORDS.format(List.of(row(1, 20, "s1b1_1_bn", 0.25))));

        List<String> lines = Files.readAllLines(file);

        assertEquals("epoch,iteration,layer,kind,shape,mean,std,min,max,mean_abs,zero_fraction", lines.get(0));
        assertEquals("1,20,s1b1_1_bn,batchnorm+relu,128x32x32x16,0.25,0.8123456789012345,0.0,5.25,0.5,0.4990234375",
                lines.get(1));
    }

    @Test
    void aMalformedFileNamesItself() throws Exception {
        Path file = tmp.resolve("activations.csv");
        Files.writeString(file, RECORDS.header() + "\n1,0,stem_conv,conv,2x2,0.1\n");

        ResultsException e = assertThrows(ResultsException.class, () -> RECORDS.read(RunFolder.at(tmp)));

        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void aTextFieldWithACommaIsRefusedNotQuoted() {
        assertThrows(IllegalArgumentException.class, () -> RECORDS.format(List.of(row(1, 0, "a,b", 0))));
    }

    @Test
    void eachEpochIsAddedAfterTheEarlierOnes() {
        RunFolder folder = RunFolder.at(tmp.resolve("run"));
        assertEquals(List.of(), RECORDS.read(folder), "no file, no rows");

        RECORDS.writeEpoch(folder, 1, List.of(row(1, 0, "a", 1), row(1, 0, "b", 2)));
        RECORDS.writeEpoch(folder, 2, List.of(row(2, 20, "a", 3), row(2, 20, "b", 4)));

        assertEquals(List.of(row(1, 0, "a", 1), row(1, 0, "b", 2), row(2, 20, "a", 3), row(2, 20, "b", 4)),
                RECORDS.read(folder));
    }

    @Test
    void anEpochWrittenAgainReplacesItsRowsAndDropsLaterOnes() {
        // what a resumed run does: epoch 2 was written before the crash, the checkpoint holds epoch 1
        RunFolder folder = RunFolder.at(tmp.resolve("run"));
        RECORDS.writeEpoch(folder, 1, List.of(row(1, 0, "a", 1)));
        RECORDS.writeEpoch(folder, 2, List.of(row(2, 20, "a", 2)));
        RECORDS.writeEpoch(folder, 3, List.of(row(3, 40, "a", 3)));

        RECORDS.writeEpoch(folder, 2, List.of(row(2, 20, "a", 2)));

        assertEquals(List.of(row(1, 0, "a", 1), row(2, 20, "a", 2)), RECORDS.read(folder));
    }

    @Test
    void anEpochWithoutSnapshotsStillDropsStaleRows() {
        RunFolder folder = RunFolder.at(tmp.resolve("run"));
        RECORDS.writeEpoch(folder, 1, List.of(row(1, 0, "a", 1)));
        RECORDS.writeEpoch(folder, 2, List.of(row(2, 20, "a", 2)));

        RECORDS.writeEpoch(folder, 2, List.of());

        assertEquals(List.of(row(1, 0, "a", 1)), RECORDS.read(folder));
        assertThrows(IllegalArgumentException.class,
                () -> RECORDS.writeEpoch(folder, 3, List.of(row(2, 20, "a", 2))), "rows of another epoch");
    }
}
