package org.bnlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code bnlab benchmark}'s choice of normalizers and overheads, and its bad input; nothing here asserts a speed. */
class BenchmarkCommandTest {

    @Test
    void chosenNormalizersWithoutOverheadsGiveATrainingAndAnInferenceRowEach(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("benchmark.csv");
        TinyGrid.Outcome run = TinyGrid.bnlab("benchmark", "--depth", "8", "--batch-size", "4", "--warmup", "0",
                "--repetitions", "1", "--iterations", "1", "--normalizers", "gn,none", "--no-overheads",
                "--csv", csv.toString());
        assertEquals(0, run.status(), run.err());
        List<String> rows = Files.readAllLines(csv);
        List<String> modes = rows.subList(1, rows.size()).stream()
                .map(row -> String.join(" ", List.of(row.split(",")).subList(1, 3))).toList();
        assertEquals(List.of("groupnorm train", "groupnorm inference", "none train", "none inference"), modes,
                String.join("\n", rows));
    }

    @Test
    void batchNormAddsTheFoldedInferenceRowBesideItsInferenceRow(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("benchmark.csv");
        TinyGrid.Outcome run = TinyGrid.bnlab("benchmark", "--depth", "8", "--batch-size", "4", "--warmup", "0",
                "--repetitions", "1", "--iterations", "1", "--normalizers", "batchnorm,none", "--no-overheads",
                "--csv", csv.toString());
        assertEquals(0, run.status(), run.err());
        List<String> rows = Files.readAllLines(csv);
        List<String> modes = rows.subList(1, rows.size()).stream()
                .map(row -> String.join(" ", List.of(row.split(",")).subList(1, 3))).toList();
        assertEquals(List.of("batchnorm train", "batchnorm inference", "batchnorm inference+folded", "none train",
                "none inference"), modes, String.join("\n", rows));
    }

    @Test
    void anUnknownNormalizerIsOneErrorLineNamingTheOption(@TempDir Path dir) {
        Path csv = dir.resolve("benchmark.csv");
        TinyGrid.Outcome run = TinyGrid.bnlab("benchmark", "--normalizers", "batchnorm,spectralnorm",
                "--csv", csv.toString());
        assertEquals(2, run.status(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("--normalizers") && run.err().contains("spectralnorm"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        assertFalse(Files.exists(csv));
    }
}
