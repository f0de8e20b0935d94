package org.bnlab.cli;

import org.bnlab.spec.ConfigJson;
import org.bnlab.report.ExperimentReport;
import org.bnlab.results.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Builds the tables and plots of a results folder from its files alone. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Build the report (report.md, runs.csv, over-seeds.csv, contrasts.csv, plots) of a results folder; trains nothing.")
final class ReportCommand implements Callable<Integer> {

    static final double DEFAULT_TARGET = 0.4;

    @Parameters(index = "0", defaultValue = "results/bn-vs-nobn", description = "the results folder (default: ${DEFAULT-VALUE})")
    Path folder;

    @Option(names = "--target-accuracy", description = "test accuracy (fraction) whose epochs and seconds to reach are shown (default: the runs' eval.target_accuracy, else 0.4)")
    Double targetAccuracy;

    @Override
    public Integer call() {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no results folder " + folder);
        }
        if (RunFolder.findFinished(folder).isEmpty()) {
            throw new IllegalStateException("no finished runs in " + folder + " yet: no report");
        }
        report(folder, targetAccuracy, System.out);
        return 0;
    }

    /** Builds, writes and prints the report of {@code dir}. */
    static void report(Path dir, Double targetAccuracy, PrintStream out) {
        if (RunFolder.findFinished(dir).isEmpty()) {
            out.println("no finished runs in " + dir + " yet: no report");
            return;
        }
        ExperimentReport report = ExperimentReport.build(dir, targetAccuracy != null ? targetAccuracy
                : targetOf(dir));
        report.writeTo(dir);
        out.println();
        report.printTo(out);
        out.println("report: " + dir.resolve(ExperimentReport.MARKDOWN) + " (tables as CSV beside it)");
    }

    /** The target accuracy the runs were specified with (the first readable config.json), else the default. */
    private static double targetOf(Path dir) {
        for (RunFolder run : RunFolder.findFinished(dir)) {
            try {
                return ConfigJson.read(run.configFile()).eval().targetAccuracy();
            } catch (IllegalArgumentException e) {
                // written by an older bnlab: keep looking, else the default
            }
        }
        return DEFAULT_TARGET;
    }
}
