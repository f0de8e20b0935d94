package org.bnlab.cli;

import org.bnlab.experiment.ExperimentFiles;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunLock;
import org.bnlab.testing.ChildJvm;
import org.bnlab.testing.TinyExperiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two {@code bnlab run} processes started together on one experiment and one results folder share the work through
 * the run locks: every run is trained exactly once, and each process says for every run whether it trained it or
 * left it (locked by the other, or already finished).
 */
class TwoProcessesTest {

    @TempDir
    Path tmp;

    @Test
    void twoProcessesTrainEveryRunExactlyOnce() throws Exception {
        List<String> lines = new ArrayList<>(List.of("name: two-processes", "base:"));
        lines.addAll(TinyExperiment.baseLines("  train.epochs: 1", "  measure.activation_stats_every: 0"));
        lines.addAll(List.of(
                "zip:",
                "  - model.normalization: [batchnorm, none]",
                "    model.init: [he, zero-residual]",
                "seeds: [1, 2]"));
        Path file = Files.writeString(tmp.resolve("two.yaml"), String.join("\n", lines) + "\n");
        ExperimentPlan plan = ExperimentPlan.expand(ExperimentFiles.load(file));
        assertEquals(4, plan.runs().size());
        Path out = tmp.resolve("out");

        List<ChildJvm> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(ChildJvm.start(tmp.resolve("log-" + i + ".txt"), Bnlab.class.getName(), "run",
                    file.toString(), "--out", out.toString(), "--quiet", "--no-report"));
        }
        List<String> logs = new ArrayList<>();
        for (ChildJvm p : processes) {
            int status = p.waitFor(300);
            logs.add(p.output());
            assertEquals(0, status, p.output());
        }
        String both = String.join("\n----\n", logs);

        for (PlannedRun run : plan.runs()) {
            RunFolder folder = RunFolder.at(out.resolve(run.id()));
            assertTrue(folder.isFinished(), run.id() + " has a summary.json\n" + both);
            assertEquals(1, folder.readMetrics().size(), "one epoch, written once: " + run.id());
            assertFalse(Files.exists(folder.dir().resolve(RunLock.FILE)), "no lock left behind");
            int started = 0;
            for (String log : logs) {
                int starts = count(log, run.id() + ": starting");
                int skips = count(log, run.id() + ": locked by ") + count(log, run.id() + ": already finished")
                        + count(log, run.id() + ": finished by another process");
                assertEquals(1, starts + skips, "each process trains or leaves " + run.id() + " once:\n" + both);
                started += starts;
            }
            assertEquals(1, started, run.id() + " is started by exactly one process:\n" + both);
        }
        try (Stream<Path> entries = Files.list(out)) {
            assertEquals(4, entries.filter(Files::isDirectory).count(), "one folder per run");
        }
        try (Stream<Path> summaries = Files.walk(out)) {
            assertEquals(4, summaries.filter(p -> p.getFileName().toString().equals("summary.json")).count());
        }
        assertTrue(Files.exists(out.resolve("experiment.json")));
        Pattern line = Pattern.compile("\\[run (\\d+)/4\\] ");
        for (String log : logs) {
            Matcher m = line.matcher(log);
            assertTrue(m.find(), "progress lines name run k of 4:\n" + log);
        }
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
