package org.bnlab.cli;

import org.bnlab.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A plain network ({@code model.shortcut: none}) through the command line as a ResNet goes: trained with the probe
 * and the activation statistics on, analysed, and as the source of another run's parameters ({@code init_from}).
 */
@ExtendWith(Backend.class)
class PlainNetworkCliTest {

    @Test
    void aPlainNetworkTrainsIsProbedAnalysedAndTransferredLikeAResNet(@TempDir Path tmp) throws IOException {
        Path data = TinyGrid.writeData(tmp.resolve("data"));
        Path file = Files.writeString(tmp.resolve("plain.yaml"), """
                name: plain
                question: Does a plain network go through run, analyze and init_from?
                base:
                  data: {dataset: folder, root: '%s', image_size: 8, train_per_class: 20, test_per_class: 10}
                  model: {depth: 8, shortcut: none}
                  train: {epochs: 1, batch_size: 20}
                  measure: {activation_stats_every: 1, probe_every: 1, probe_images: 8}
                analyze: true
                zip:
                  - model.init_from: [null, {match: {train.learning_rate: 0.05}, parameters: all}]
                    train.learning_rate: [0.05, 0.02]
                """.formatted(data.toAbsolutePath().toString().replace("'", "''")));
        Path out = tmp.resolve("out");
        TinyGrid.Outcome run = TinyGrid.bnlab("run", file.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, run.status(), run.err() + run.out());
        assertTrue(run.out().contains(": starting from run "), run.out());

        List<Path> runs = runFolders(out);
        assertEquals(2, runs.size());
        for (Path r : runs) {
            String summary = Files.readString(r.resolve("summary.json"));
            assertTrue(summary.contains("\"model\" : \"plain8\"") || summary.contains("\"model\":\"plain8\""),
                    summary);
            assertTrue(summary.contains("\"completed\""), summary);
            assertTrue(Files.readAllLines(r.resolve("probe.csv")).size() > 1, r + ": probe rows");
            String activations = Files.readString(r.resolve("activations.csv"));
            // every 3x3 unit is measured, and no residual addition (kind add or add+relu) is there to measure
            assertTrue(activations.contains(",s3b1_2_bn,"), r + ": " + activations);
            List<String> kinds = activations.lines().skip(1).map(l -> l.split(",")[3]).distinct().toList();
            assertTrue(kinds.stream().noneMatch(k -> k.startsWith("add")), r + ": " + kinds);
            assertTrue(Files.isRegularFile(r.resolve("analysis/rows-running.csv")), r.toString());
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Inference-phase analysis"), report);
    }

    @Test
    void zeroResidualInitOnAPlainNetworkIsOneLineNamingTheSetting(@TempDir Path tmp) throws IOException {
        Path data = TinyGrid.writeData(tmp.resolve("data"));
        Path file = Files.writeString(tmp.resolve("bad.yaml"), TinyGrid.base("bad", data, 1) + """
                  model.shortcut: none
                  model.init: zero-residual
                """);
        TinyGrid.Outcome plan = TinyGrid.bnlab("plan", file.toString());
        assertEquals(2, plan.status(), plan.err() + plan.out());
        assertEquals(1, plan.err().strip().lines().count(), plan.err());
        assertTrue(plan.err().startsWith("bnlab: error: " + file), plan.err());
        assertTrue(plan.err().contains("model.init: init zero-residual needs shortcuts"), plan.err());
    }

    private static List<Path> runFolders(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("summary.json"))).sorted().toList();
        }
    }
}
