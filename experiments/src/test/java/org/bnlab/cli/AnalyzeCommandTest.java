package org.bnlab.cli;

import org.bnlab.analysis.AnalysisRow;
import org.bnlab.analysis.runner.Analyzer;
import org.bnlab.analysis.runner.EvaluationMode;
import org.bnlab.analysis.runner.Modes;
import org.bnlab.analysis.runner.RunEvaluation;
import org.bnlab.spec.EvalSpec;
import org.bnlab.spec.RunSpec;
import org.bnlab.report.AnalysisTables;
import org.bnlab.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bnlab analyze} on a tiny BN / no-BN pair: the analysis phase of {@code bnlab run}, all four modes, the
 * experiment-level tables and report section, bad options, and the resume of an interrupted analysis.
 */
@ExtendWith(Backend.class)
class AnalyzeCommandTest {

    private static final List<String> ALL_MODES = List.of("eval.modes=[running,batch,precise,adabn]",
            "eval.test_batch_sizes=[2,8]", "eval.precise_batches=2", "eval.shifts=[contrast,gaussian_noise]",
            "eval.severities=[1,5]");

    /** A toy evaluation mode plugged in through the seam alone: its rows, its marker's settings, the tables. */
    @Test
    void aToyEvaluationModeIsComputedMarkedAndTabulatedThroughTheSeamAlone(@TempDir Path tmp) throws IOException {
        Path data = TinyGrid.writeData(tmp.resolve("data"));
        Path file = Files.writeString(tmp.resolve("one.yaml"), TinyGrid.base("one", data, 1));
        Path out = tmp.resolve("out");
        TinyGrid.Outcome run = TinyGrid.bnlab("run", file.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, run.status(), run.err() + run.out());
        EvaluationMode toy = new EvaluationMode() {
            @Override
            public String name() {
                return "precise"; // a name eval.modes accepts; its computation is the toy's
            }

            @Override
            public String settings(RunSpec spec) {
                return " toy_level=" + spec.eval().calibrationBins();
            }

            @Override
            public List<AnalysisRow> evaluate(RunEvaluation r) {
                return List.of(r.runningRow().as("precise", "toy", 0, "", 0));
            }
        };
        new Analyzer(new PrintStream(OutputStream.nullOutputStream())).withModes(List.of(toy))
                .analyze(out, List.of("eval.modes=[precise]"), null);
        Path analysis = runFolders(out).get(0).resolve("analysis");
        assertTrue(Files.readString(analysis.resolve("rows-precise.csv")).contains("\nprecise,toy,0,,0,"),
                Files.readString(analysis.resolve("rows-precise.csv")));
        assertTrue(Files.readString(analysis.resolve("done-precise.txt")).endsWith(" toy_level=15\n"),
                Files.readString(analysis.resolve("done-precise.txt")));
        assertEquals(List.of("toy"), AnalysisTables.build(out).overSeeds().stringColumn("statistics").asList());
    }

    @Test
    void theRegisteredModesAreTheModesTheSpecificationAccepts() {
        assertEquals(EvalSpec.MODES, Modes.ALL.stream().map(EvaluationMode::name).toList());
    }

    @Test
    void analysesResumesAndReports(@TempDir Path tmp) throws IOException {
        Path data = TinyGrid.writeData(tmp.resolve("data"));
        Path file = Files.writeString(tmp.resolve("pair.yaml"), TinyGrid.base("pair", data, 1) + """
                analyze: true
                grid:
                  model.normalization: [batchnorm, none]
                """);
        assertTrue(TinyGrid.plan(file).experiment().analyze());
        Path out = tmp.resolve("out");
        TinyGrid.Outcome run = TinyGrid.bnlab("run", file.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, run.status(), run.err() + run.out());
        assertTrue(run.out().contains("[analyze 1/2]"), run.out());
        assertTrue(run.out().contains("images/s"), run.out());
        List<Path> runs = runFolders(out);
        assertEquals(2, runs.size());
        for (Path r : runs) {
            assertTrue(Files.isRegularFile(r.resolve("analysis/rows-running.csv")), r.toString());
            assertTrue(Files.isRegularFile(r.resolve("analysis/reliability-running.png")));
            assertTrue(Files.isRegularFile(r.resolve("analysis/probabilities-running.csv")));
        }
        assertTrue(Files.readString(out.resolve("report.md")).contains("## Inference-phase analysis"));
        assertEquals(2, Files.readAllLines(out.resolve(AnalysisTables.AGREEMENT_CSV)).size(), "one pair, one seed");

        // an interrupted analysis in all four modes, resumed, equals an uninterrupted one
        Path copy = tmp.resolve("copy");
        copyTree(out, copy);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        new Analyzer(quiet).analyze(out, ALL_MODES, null);
        String first = runs.get(0).getFileName().toString();
        RuntimeException stop = new RuntimeException("interrupted");
        assertThrows(RuntimeException.class, () -> new Analyzer(quiet).afterEachMode((id, mode) -> {
            if (id.equals(first) && mode.equals("precise")) {
                throw stop;
            }
        }).analyze(copy, ALL_MODES, null));
        Path copyFirst = copy.resolve(first).resolve("analysis");
        assertTrue(Files.exists(copyFirst.resolve("done-batch.txt")));
        assertFalse(Files.exists(copyFirst.resolve("done-adabn.txt")));
        assertFalse(Files.exists(copy.resolve(runs.get(1).getFileName()).resolve("analysis/done-batch.txt")));
        Map<Path, FileTime> finished = new HashMap<>();
        for (String name : List.of("rows-running.csv", "rows-batch.csv", "rows-precise.csv", "done-batch.txt")) {
            Path p = copyFirst.resolve(name);
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L));
            finished.put(p, Files.getLastModifiedTime(p));
        }
        StringBuilder log = new StringBuilder();
        Analyzer.Outcome resumed = new Analyzer(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                log.append((char) b);
            }
        })).analyze(copy, ALL_MODES, null);
        assertEquals(2, resumed.analysed());
        assertTrue(log.toString().contains(first + ": adabn ("), log.toString());
        finished.forEach((p, time) -> {
            try {
                assertEquals(time, Files.getLastModifiedTime(p), p + " untouched");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        for (Path r : runs) {
            for (String mode : List.of("running", "batch", "precise", "adabn")) {
                String name = "analysis/rows-" + mode + ".csv";
                assertEquals(withoutSpeed(r.resolve(name)), withoutSpeed(copy.resolve(r.getFileName()).resolve(name)),
                        r.getFileName() + " " + mode);
            }
        }
        // the no-BN run: every mode is its running measurement
        String noBn = withoutSpeed(runs.stream().filter(p -> p.getFileName().toString().contains("none"))
                .findFirst().orElseThrow().resolve("analysis/rows-batch.csv"));
        assertTrue(noBn.contains("batch,none,2"), noBn);
        AnalysisTables.build(out).writeTo(out);
        String overSeeds = Files.readString(out.resolve(AnalysisTables.ANALYSIS_OVER_SEEDS_CSV));
        assertTrue(overSeeds.contains("adapted") && overSeeds.contains("precise"), overSeeds);

        // again: nothing to do
        assertEquals(2, new Analyzer(quiet).analyze(out, ALL_MODES, null).alreadyDone());

        // bad input: one line, exit 2
        TinyGrid.Outcome bad = TinyGrid.bnlab("analyze", out.toString(), "--set", "train.epochs=3");
        assertEquals(2, bad.status());
        assertTrue(bad.err().startsWith("bnlab: error: --set train.epochs: analyze changes only"), bad.err());
        assertEquals(1, bad.err().strip().lines().count());
        TinyGrid.Outcome badMode = TinyGrid.bnlab("analyze", out.toString(), "--set", "eval.modes=[sometimes]");
        assertEquals(2, badMode.status());
        assertTrue(badMode.err().contains("sometimes"), badMode.err());
        TinyGrid.Outcome noRun = TinyGrid.bnlab("analyze", out.toString(), "--only", "nope");
        assertEquals(2, noRun.status());
        assertTrue(noRun.err().contains("no finished run nope"), noRun.err());
    }

    private static List<Path> runFolders(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("summary.json"))).sorted().toList();
        }
    }

    private static String withoutSpeed(Path csv) {
        try {
            return String.join("\n", Files.readAllLines(csv).stream()
                    .map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".lock")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
