package org.bnlab.cli;

import org.bnlab.experiment.ExperimentFiles;
import org.bnlab.experiment.ExperimentPlan;
import org.bnlab.experiment.PlannedRun;
import org.bnlab.report.ExperimentReport;
import org.bnlab.results.RunFolder;
import org.bnlab.testing.Backend;
import org.bnlab.testing.Home;
import org.bnlab.testing.TinyExperiment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bnlab run}, {@code plan}, {@code list} and {@code report} in this JVM on a tiny experiment file (ResNet-8,
 * 40 generated images, 1 epoch, BN and no BN): what they print, what they write, and that {@code plan} trains
 * nothing. The experiment is run once for the class.
 */
@ExtendWith(Backend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandsTest {

    @TempDir
    static Path tmp;

    Path file;
    Path out;
    ExperimentPlan plan;
    Console first;

    @BeforeAll
    void runTheTinyExperimentOnce() throws Exception {
        Home.install();
        List<String> lines = new ArrayList<>(List.of("name: tiny-cli", "question: Does the command line work?",
                "base:"));
        lines.addAll(TinyExperiment.baseLines("  train.epochs: 1", "  measure.activation_stats_every: 0"));
        lines.addAll(List.of(
                "zip:", "  - model.normalization: [batchnorm, none]", "    model.init: [he, zero-residual]",
                "contrasts:", "  - name: BN vs no-BN",
                "    treatment: {model.normalization: batchnorm}",
                "    baseline: {model.normalization: none, model.init: zero-residual}"));
        file = Files.writeString(tmp.resolve("tiny-cli.yaml"), String.join("\n", lines) + "\n");
        plan = ExperimentPlan.expand(ExperimentFiles.load(file));
        out = tmp.resolve("out");
        first = Console.run("run", file.toString(), "--out", out.toString(), "--quiet");
    }

    @Test
    void runTrainsEveryRunThenReports() {
        assertEquals(0, first.status(), first.toString());
        assertTrue(first.out().contains("experiment tiny-cli: 2 runs into " + out), first.out());
        for (PlannedRun run : plan.runs()) {
            assertTrue(first.out().contains("[run " + (run.index() + 1) + "/2] " + run.id() + ": starting"),
                    first.out());
            assertTrue(RunFolder.at(out.resolve(run.id())).isFinished(), run.id());
        }
        assertTrue(Files.exists(out.resolve(ExperimentReport.MARKDOWN)), "the report is built at the end");
        assertTrue(first.out().contains("Final test accuracy (%) over seeds"), first.out());
        assertTrue(first.out().contains("BN vs no-BN: "), first.out());
        assertTrue(first.out().contains("report: " + out.resolve(ExperimentReport.MARKDOWN)), first.out());
    }

    @Test
    void theReportSaysWhatWasRun() throws Exception {
        Path changed = tmp.resolve("changed");
        Console run = Console.run("run", file.toString(), "--set", "model.init=he", "--out", changed.toString(),
                "--quiet");
        assertEquals(0, run.status(), run.toString());
        String report = Files.readString(changed.resolve(ExperimentReport.MARKDOWN));
        assertTrue(report.contains("Command-line changes to the experiment file: `--set model.init=he`"), report);
        assertTrue(report.contains("- `train.epochs = 1`"), "settings shared by every run: " + report);
        assertTrue(Files.exists(changed.resolve("plots/training-curves.png")), "the plots the report links");
    }

    @Test
    void runningAgainSkipsWhatIsFinished() {
        Console again = Console.run("run", file.toString(), "--out", out.toString(), "--quiet", "--no-report");
        assertEquals(0, again.status(), again.toString());
        assertEquals(2, again.out().lines().filter(l -> l.contains(": already finished (completed), skipped")).count(),
                again.out());
        assertFalse(again.out().contains("starting"), again.out());
        assertFalse(again.out().contains("Final test accuracy"), "--no-report");
    }

    @Test
    void planListsTheRunsWithTheirStateAndTrainsNothing() {
        Console done = Console.run("plan", file.toString(), "--out", out.toString());
        assertEquals(0, done.status(), done.toString());
        assertTrue(done.out().startsWith("experiment tiny-cli: Does the command line work?"), done.out());
        assertTrue(done.out().contains("varying: model.normalization, model.init; results folder: " + out), done.out());
        for (PlannedRun run : plan.runs()) {
            assertTrue(done.out().lines().anyMatch(l -> l.matches("\\s*" + run.index() + "\\s+" + run.id()
                    + "\\s+completed")), done.out());
        }
        assertTrue(done.out().contains("2 runs, 0 to do"), done.out());

        Path fresh = tmp.resolve("never-run");
        Console todo = Console.run("plan", file.toString(), "--out", fresh.toString(), "--set", "seed=5");
        assertEquals(0, todo.status(), todo.toString());
        assertEquals(2, todo.out().lines().filter(l -> l.endsWith("pending")).count(), todo.out());
        assertTrue(todo.out().contains("2 runs, 2 to do"), todo.out());
        assertFalse(Files.exists(fresh), "plan writes nothing");
    }

    @Test
    void planOfTheDefaultExperimentByName() {
        Console c = Console.run("plan", "bn-vs-nobn", "--out", tmp.resolve("default").toString());
        assertEquals(0, c.status(), c.toString());
        List<String> ids = ExperimentPlan.expand(ExperimentFiles.load(Home.defaultExperiment())).runs().stream()
                .map(PlannedRun::id).toList();
        for (String id : ids) {
            assertTrue(c.out().contains(id + " "), c.out());
        }
        assertTrue(c.out().contains("9 runs, 9 to do"), c.out());
        assertFalse(Files.exists(tmp.resolve("default")));
    }

    @Test
    void onlyAndIndexRunOneRun() {
        Path one = tmp.resolve("one");
        PlannedRun none = plan.runs().get(1);
        Console c = Console.run("run", file.toString(), "--only", none.hash(), "--out", one.toString(), "--quiet");
        assertEquals(0, c.status(), c.toString());
        assertTrue(RunFolder.at(one.resolve(none.id())).isFinished());
        assertFalse(Files.exists(one.resolve(plan.runs().get(0).id())));
        assertFalse(Files.exists(one.resolve(ExperimentReport.MARKDOWN)), "a single run does not report");
        assertEquals(RunFolder.at(out.resolve(none.id())).readMetrics().get(0).testAccuracy(),
                RunFolder.at(one.resolve(none.id())).readMetrics().get(0).testAccuracy(), "same spec, same numbers");

        Console index = Console.run("run", file.toString(), "--index", "1", "--out", one.toString(), "--quiet");
        assertEquals(0, index.status(), index.toString());
        assertTrue(index.out().contains("[run 1/1] " + none.id() + ": already finished"), index.out());
    }

    @Test
    void reportRebuildsTheReportOfAFolder() throws Exception {
        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        for (PlannedRun run : plan.runs()) {
            Path to = Files.createDirectories(copy.resolve(run.id()));
            for (String name : List.of("summary.json", "metrics.csv", "run.json", "config.json")) {
                Files.copy(out.resolve(run.id()).resolve(name), to.resolve(name));
            }
        }
        Files.copy(out.resolve("experiment.json"), copy.resolve("experiment.json"));
        Console c = Console.run("report", copy.toString());
        assertEquals(0, c.status(), c.toString());
        assertTrue(Files.readString(copy.resolve(ExperimentReport.MARKDOWN)).contains("20.00%"),
                "the target the runs were specified with (eval.target_accuracy 0.2)");
        c = Console.run("report", copy.toString(), "--target-accuracy", "0.05");
        assertEquals(0, c.status(), c.toString());
        assertTrue(Files.readString(copy.resolve(ExperimentReport.MARKDOWN)).contains("5.00%"),
                "the target asked for");
        assertTrue(c.out().contains("Final test accuracy (%) over seeds"), c.out());

        Console bad = Console.run("report", copy.toString(), "--target-accuracy", "60");
        assertEquals(Bnlab.BAD_INPUT, bad.status());
        assertTrue(bad.err().startsWith("bnlab: error: ") && bad.err().contains("did you mean 0.6"), bad.err());
    }

    /** A copy of this plan's finished run folders (and experiment.json) in {@code dir}. */
    private Path copyOfTheFinishedRuns(String dir) throws Exception {
        Path copy = Files.createDirectories(tmp.resolve(dir));
        for (PlannedRun run : plan.runs()) {
            Path to = Files.createDirectories(copy.resolve(run.id()));
            try (var files = Files.list(out.resolve(run.id()))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        Files.copy(out.resolve("experiment.json"), copy.resolve("experiment.json"));
        return copy;
    }

    /** {@code bnlab run} in this JVM with standard error captured too (where its warnings go). */
    private static String[] runCapturingStandardError(String... args) {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Console c;
        try (java.io.PrintStream capture = new java.io.PrintStream(bytes, true,
                java.nio.charset.StandardCharsets.UTF_8)) {
            System.setErr(capture);
            c = Console.run(args);
        } finally {
            System.setErr(original);
        }
        return new String[]{String.valueOf(c.status()), c.out(), c.err() + bytes.toString(
                java.nio.charset.StandardCharsets.UTF_8)};
    }

    @Test
    void runWarnsOfFinishedRunsOfAnotherPlanInItsFolder() throws Exception {
        Path mixed = copyOfTheFinishedRuns("mixed");
        // a finished run of another plan: another seed, so another hash, in its own folder
        PlannedRun first = plan.runs().get(0);
        Path other = Files.createDirectories(mixed.resolve("resnet8-other-seed"));
        try (var files = Files.list(mixed.resolve(first.id()))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, other.resolve(f.getFileName()));
            }
        }
        Files.writeString(other.resolve("config.json"),
                Files.readString(other.resolve("config.json")).replaceFirst("\"seed\" : \\d+", "\"seed\" : 4242"));
        Files.writeString(other.resolve("run.json"),
                Files.readString(other.resolve("run.json")).replace(first.hash(), "0123456789ab"));
        String[] c = runCapturingStandardError("run", file.toString(), "--out", mixed.toString(), "--quiet",
                "--no-report");
        assertEquals("0", c[0], c[2]);
        assertTrue(c[2].contains("bnlab: warning: " + mixed + " holds 1 finished run of another plan "
                + "(resnet8-other-seed); the report keeps them apart"), c[2]);
        assertFalse(c[1].contains("starting"), "nothing trained: " + c[1]);
    }

    @Test
    void runOnAFolderOfThisPlanAloneWarnsOfNothing() throws Exception {
        Path alone = copyOfTheFinishedRuns("alone");
        String[] c = runCapturingStandardError("run", file.toString(), "--out", alone.toString(), "--quiet",
                "--no-report");
        assertEquals("0", c[0], c[2]);
        assertFalse(c[2].contains("warning"), c[2]);
        assertFalse(c[1].contains("warning"), c[1]);
        assertEquals(2, c[1].lines().filter(l -> l.contains(": already finished (completed), skipped")).count(),
                c[1]);
    }

    @Test
    void listShowsTheReadyExperiments() {
        Console c = Console.run("list");
        assertEquals(0, c.status(), c.toString());
        assertTrue(c.out().lines().anyMatch(l -> l.startsWith("bn-vs-nobn") && l.contains("9 runs")
                && l.contains("Does BatchNorm let ResNet-20 learn faster")), c.out());
        assertTrue(c.out().contains("source: He et al. 2016"), c.out());
    }
}
