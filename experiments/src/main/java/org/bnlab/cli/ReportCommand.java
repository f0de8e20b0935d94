package org.bnlab.cli;

import org.bnlab.report.ComparisonReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Rebuilds and prints the comparison report of a results folder (e.g. with another target accuracy). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild the comparison tables (comparison.csv, comparison.md, comparison-summary.csv, activations-summary.csv) of a results folder.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "results/bn-vs-nobn", description = "the comparison folder (default: ${DEFAULT-VALUE})")
    Path folder;

    @Option(names = "--target-accuracy", description = "test accuracy whose epochs and seconds to reach are shown (default: ${DEFAULT-VALUE})")
    double targetAccuracy = 0.4;

    @Override
    public Integer call() {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no results folder " + folder);
        }
        ComparisonReport report = ComparisonReport.build(folder, targetAccuracy);
        report.writeTo(folder);
        report.printTo(System.out);
        System.out.println("written: " + folder.resolve(ComparisonReport.MARKDOWN_FILE) + ", "
                + ComparisonReport.CSV_FILE + ", " + ComparisonReport.SUMMARY_CSV_FILE + ", "
                + ComparisonReport.ACTIVATIONS_CSV_FILE);
        return 0;
    }
}
