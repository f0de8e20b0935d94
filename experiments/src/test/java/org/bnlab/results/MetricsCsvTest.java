package org.bnlab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {

    @TempDir
    Path tmp;

    static final EpochMetrics NORMAL = new EpochMetrics(1, 0.1, 1.8765432109876543, 0.3125, 1.5, 0.4567,
            12.25, 13.0, 4081.632653061224);
    static final EpochMetrics DIVERGED = new EpochMetrics(2, 1.0e-4, Double.NaN, 0.1, Double.POSITIVE_INFINITY,
            0.1, 11.0, 24.0, Double.NEGATIVE_INFINITY);

    @Test
    void roundTripsExactlyIncludingNanAndInfinity() {
        Path file = tmp.resolve("metrics.csv");
        MetricsCsv.write(file, List.of(NORMAL, DIVERGED));

        List<EpochMetrics> back = MetricsCsv.read(file);

        // Records compare doubles with Double.compare, so NaN equals NaN and every bit must match.
        assertEquals(List.of(NORMAL, DIVERGED), back);
    }

    @Test
    void writesTheExactHeaderAndSpellsNonFiniteValuesPlainly() throws Exception {
        Path file = tmp.resolve("metrics.csv");
        MetricsCsv.write(file, List.of(DIVERGED));

        List<String> lines = Files.readAllLines(file);

        assertEquals("epoch,learning_rate,train_loss,train_accuracy,test_loss,test_accuracy,"
                + "epoch_seconds,elapsed_seconds,train_images_per_second", lines.get(0));
        assertEquals("2,1.0E-4,NaN,0.1,Infinity,0.1,11.0,24.0,-Infinity", lines.get(1));
        assertEquals(2, lines.size());
    }

    @Test
    void anEmptyListWritesOnlyTheHeader() {
        Path file = tmp.resolve("metrics.csv");
        MetricsCsv.write(file, List.of());

        assertEquals(List.of(), MetricsCsv.read(file));
    }

    @Test
    void aTruncatedRowIsAnErrorNamingFileAndLine() throws Exception {
        Path file = tmp.resolve("metrics.csv");
        Files.writeString(file, MetricsCsv.HEADER + "\n1,0.1,2.0,0.3,2.1\n");

        ResultsException e = assertThrows(ResultsException.class, () -> MetricsCsv.read(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }

    @Test
    void aWrongHeaderIsAnError() throws Exception {
        Path file = tmp.resolve("metrics.csv");
        Files.writeString(file, "epoch,lr,loss\n1,0.1,2.0\n");

        ResultsException e = assertThrows(ResultsException.class, () -> MetricsCsv.read(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aNonNumericFieldIsAnError() throws Exception {
        Path file = tmp.resolve("metrics.csv");
        Files.writeString(file, MetricsCsv.HEADER + "\n1,0.1,oops,0.3,2.1,0.2,1,1,1\n");

        ResultsException e = assertThrows(ResultsException.class, () -> MetricsCsv.read(file));

        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
