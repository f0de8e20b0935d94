package org.bnlab.cli;

import org.bnlab.analysis.runner.Analyzer;
import org.bnlab.report.AnalysisTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The inference-phase comparison of a results folder's finished runs, from their checkpoints. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate the finished runs of a results folder from their checkpoints in the modes of their "
                + "eval.modes (running, batch, precise, adabn): accuracy, loss, per-class accuracy, confidence, "
                + "calibration (ECE, reliability diagram), and agreement of BN/no-BN pairs; then the report.",
                "Writes <run>/analysis/ per run and analysis.csv, analysis-over-seeds.csv, agreement.csv, "
                        + "agreement-over-seeds.csv beside report.md. Finished parts are skipped: rerun after an "
                        + "interruption."})
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "the results folder")
    Path folder;

    @Option(names = "--set", paramLabel = "eval.KEY=VALUE",
            description = "change an evaluation setting for this analysis only, e.g. --set eval.modes=[running,precise] "
                    + "or --set eval.precise_batches=50 (repeatable; only eval.* keys)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--only", paramLabel = "RUN", description = "analyse only this run (its folder name)")
    String only;

    @Option(names = "--quiet", description = "print only the summary, not each mode")
    boolean quiet;

    @Option(names = "--no-report", description = "do not rebuild the report afterwards")
    boolean noReport;

    @Override
    public Integer call() {
        org.bnlab.backend.GpuCheck.requireUsable(); // before ND4J loads: an unsupported GPU fails at its first kernel
        analyze(folder, sets, only, quiet, System.out);
        if (!noReport) {
            ReportCommand.report(folder, null, System.out);
        }
        return 0;
    }

    /** Analyses {@code dir} and writes its experiment-level analysis tables. */
    static void analyze(Path dir, List<String> sets, String only, boolean quiet, PrintStream out) {
        PrintStream log = quiet ? new PrintStream(OutputStream.nullOutputStream()) : out;
        Analyzer.Outcome outcome = new Analyzer(log).analyze(dir, sets, only);
        AnalysisTables.build(dir).writeTo(dir);
        out.printf("analyze: %d run(s) analysed, %d already done, %d diverged (not analysed), %d without checkpoint; "
                        + "tables: %s%n", outcome.analysed(), outcome.alreadyDone(), outcome.diverged(),
                outcome.skipped(), dir.resolve(AnalysisTables.ANALYSIS_OVER_SEEDS_CSV));
    }
}
