package org.bnlab.report;

import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.bnlab.io.AtomicFiles;
import org.bnlab.results.ResultsException;
import org.bnlab.results.RunFolder;

import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * Compares the finished runs of one comparison folder ({@code results/<comparison>/}), above all
 * the runs with BatchNorm against those without.
 *
 * <p><b>Units.</b> Every accuracy in the report is a test-set accuracy <b>in percent</b>, and the
 * column names say so ({@code _pct}); differences between accuracies are in percentage points
 * ({@code _pts}). The target accuracy passed to {@link #build} is a fraction (0..1), like the
 * accuracies in {@code metrics.csv} and {@code summary.json}. The CSV files hold the values rounded
 * to 4 decimals; the console and Markdown show 2. Empty cells mean "not applicable" or "never".
 *
 * <p><b>Per-run table</b> ({@link #perRun()}, {@code comparison.csv}), one row per run, in run-folder order:
 * <ul>
 *   <li>{@code run, dataset, model, shortcut, normalization, init, learning_rate, seed, status}: from the summary;</li>
 *   <li>{@code diverged_epoch}: the epoch in which the loss became NaN or infinite or exploded (diverged runs only);</li>
 *   <li>{@code epochs}: epochs completed;</li>
 *   <li>{@code final_test_acc_pct}: after the last completed epoch (so for a diverged run, the epoch
 *       before it diverged; empty if it diverged in its first epoch);</li>
 *   <li>{@code best_test_acc_pct}: the best over completed epochs;</li>
 *   <li>{@code epochs_to_target}, {@code seconds_to_target}: the first epoch whose test accuracy reached
 *       the target, and the run's elapsed wall-clock seconds at the end of that epoch (empty if never);</li>
 *   <li>{@code bn_minus_this_final_pts}: for a run without BN, the final accuracy of the matching BN run
 *       (same dataset, model, shortcut, learning rate, seed and planned epochs; see
 *       {@link BatchNormPartners}) minus this run's; positive means BN did better. Empty for BN runs,
 *       without a match, or when either final accuracy is missing.</li>
 * </ul>
 *
 * <p><b>Aggregated table</b> ({@link #aggregated()}, {@code comparison-summary.csv}): mean, standard
 * deviation and count of the final and best accuracies over seeds, see {@link AggregatedTable}.
 *
 * <p><b>Activations table</b> ({@link #activations()}, {@code activations-summary.csv}): per run and layer, the
 * activation statistics of the run's last snapshot, see {@link ActivationsSummaryTable}.
 *
 * <p><b>Files</b> written by {@link #writeTo}: {@value #CSV_FILE}, {@value #SUMMARY_CSV_FILE},
 * {@value #ACTIVATIONS_CSV_FILE} (header only when no run recorded activation statistics) and
 * {@value #MARKDOWN_FILE} (headline, the run tables and what their columns mean), each atomically.
 */
public final class ComparisonReport {

    public static final String CSV_FILE = "comparison.csv";
    public static final String SUMMARY_CSV_FILE = "comparison-summary.csv";
    public static final String MARKDOWN_FILE = "comparison.md";
    public static final String ACTIVATIONS_CSV_FILE = "activations-summary.csv";

    private final Path comparisonDir;
    private final double targetAccuracy;
    private final Table perRun;
    private final Table aggregated;
    private final Table activations;
    private final String headline;

    private ComparisonReport(Path comparisonDir, double targetAccuracy, Table perRun, Table aggregated,
                             Table activations, String headline) {
        this.comparisonDir = comparisonDir;
        this.targetAccuracy = targetAccuracy;
        this.perRun = perRun;
        this.aggregated = aggregated;
        this.activations = activations;
        this.headline = headline;
    }

    /**
     * Reads every finished run under {@code comparisonDir} and builds the report.
     *
     * @param targetAccuracy test accuracy (a fraction, 0 &lt; target &le; 1) for {@code epochs_to_target}
     * @throws IllegalStateException if no run there has finished
     * @throws ResultsException      if a summary, metrics or activations file is corrupt (the message names it)
     */
    public static ComparisonReport build(Path comparisonDir, double targetAccuracy) {
        if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
            throw new IllegalArgumentException("target accuracy must be a fraction in (0, 1], got " + targetAccuracy
                    + (targetAccuracy > 1 && targetAccuracy <= 100 ? " (did you mean " + targetAccuracy / 100 + "?)" : ""));
        }
        List<FinishedRun> runs = RunFolder.findFinished(comparisonDir).stream().map(FinishedRun::load).toList();
        if (runs.isEmpty()) {
            throw new IllegalStateException("no finished runs in " + comparisonDir
                    + ": no sub-folder has a summary.json yet (runs write it when they complete or diverge)");
        }
        BatchNormPartners partners = new BatchNormPartners(runs);
        Table perRun = PerRunTable.build(runs, partners, targetAccuracy);
        return new ComparisonReport(comparisonDir, targetAccuracy, perRun, AggregatedTable.build(perRun),
                ActivationsSummaryTable.build(runs), Headline.of(runs, partners));
    }

    /** One row per finished run; see the class comment for the columns. */
    public Table perRun() {
        return perRun;
    }

    /** Final and best accuracy summarized over seeds; see {@link AggregatedTable}. */
    public Table aggregated() {
        return aggregated;
    }

    /** Per run and layer, the activation statistics of the run's last snapshot; see {@link ActivationsSummaryTable}. */
    public Table activations() {
        return activations;
    }

    /** One line saying what BatchNorm did, e.g. {@code BN vs no-BN (he), resnet20, lr 0.1: 91.2% vs 88.0% (+3.2 points)}. */
    public String headline() {
        return headline;
    }

    public double targetAccuracy() {
        return targetAccuracy;
    }

    /**
     * Prints the headline and both run tables, for the console at the end of a grid (the activations table, a row
     * per layer, is for the file).
     */
    public void printTo(PrintStream out) {
        out.println(headline);
        out.println();
        out.println(perRun.printAll());
        out.println();
        out.println(aggregated.printAll());
    }

    /**
     * Writes {@value #CSV_FILE}, {@value #SUMMARY_CSV_FILE}, {@value #ACTIVATIONS_CSV_FILE} and {@value #MARKDOWN_FILE}
     * into {@code dir}, each atomically.
     */
    public void writeTo(Path dir) {
        AtomicFiles.writeString(dir.resolve(CSV_FILE), csv(perRun));
        AtomicFiles.writeString(dir.resolve(SUMMARY_CSV_FILE), csv(aggregated));
        AtomicFiles.writeString(dir.resolve(ACTIVATIONS_CSV_FILE), csv(activations));
        AtomicFiles.writeString(dir.resolve(MARKDOWN_FILE), toMarkdown());
    }

    /**
     * The whole report as a Markdown document: headline, what the columns mean, both run tables, and where the
     * activation statistics are when runs recorded them.
     */
    public String toMarkdown() {
        String target = Numbers.fixed(targetAccuracy * 100, 2) + "%";
        return "# BN vs no-BN: " + comparisonDir.getFileName() + "\n\n"
                + headline + "\n\n"
                + "## Runs\n\n"
                + "Accuracies are test-set accuracies in percent; `epochs` = epochs completed; "
                + "`diverged_epoch` = the epoch in which the loss became NaN or infinite or exploded; "
                + "`final_test_acc_pct` = after the last completed epoch; "
                + "`epochs_to_target` / `seconds_to_target` = first epoch at which test accuracy reached the target of "
                + target + ", and elapsed seconds at its end; "
                + "`bn_minus_this_final_pts` = final accuracy of the matching BN run (same dataset, model, shortcut, "
                + "learning rate, seed, planned epochs) minus this run's, in percentage points. "
                + "Empty cells: not applicable or never reached.\n\n"
                + MarkdownTable.render(perRun) + "\n"
                + "## Over seeds\n\n"
                + "Runs grouped by everything but the seed: `runs` in the group, how many `diverged`, and for the "
                + "final and best test accuracy (percent) the `_mean`, sample standard deviation `_std` "
                + "(empty below 2 values) and `_n`, the number of runs with a value.\n\n"
                + MarkdownTable.render(aggregated)
                + (activations.isEmpty() ? "" : "\n## Activations\n\n"
                + "Per-layer activation statistics (mean, std, min, max, mean absolute value, fraction of exact "
                + "zeros) at each run's last snapshot: `" + ACTIVATIONS_CSV_FILE + "`; every snapshot of a run: "
                + "`<run>/activations.csv`.\n");
    }

    /** Raw values, not the 2-decimal print format, so that the CSV loses nothing for later analysis. */
    private static String csv(Table table) {
        StringWriter out = new StringWriter();
        table.write().csv(CsvWriteOptions.builder(out).build());
        return out.toString();
    }
}
