package org.bnlab.report;

import org.bnlab.io.AtomicFiles;
import org.bnlab.results.ResultsException;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report of an experiment's results folder, built from the files alone (no training): tables keyed by what
 * varies between the runs, the contrasts the experiment declares with their confidence intervals, the published
 * values beside the measured ones, and plots.
 *
 * <p><b>Units.</b> Accuracies are top-1 test-set accuracies in percent (columns end in {@code _pct} or sit under a
 * title saying so); differences are percentage points. The target accuracy is a fraction (0..1) like those in
 * {@code metrics.csv}. CSV files hold values rounded to 4 decimals; the console and Markdown show 2. Empty cells mean
 * "not applicable" or "never".
 *
 * <p><b>Files</b> ({@link #writeTo}, each atomic): {@value #RUNS_CSV} ({@link RunsTable}), {@value #OVER_SEEDS_CSV}
 * ({@link OverSeedsTable}), {@value #CONTRASTS_CSV} ({@link ContrastTable}), {@value #REFERENCES_CSV} when the
 * experiment gives published values ({@link ReferenceTable}), {@value #ACTIVATIONS_CSV}
 * ({@link ActivationsSummaryTable}), {@value #MARKDOWN} (all of it with the headline and what the columns mean),
 * the plots under {@code plots/}, and the probe's summary and plots when the runs recorded it ({@link ProbeReport}).
 */
public final class ExperimentReport {

    public static final String RUNS_CSV = "runs.csv";
    public static final String OVER_SEEDS_CSV = "over-seeds.csv";
    public static final String CONTRASTS_CSV = "contrasts.csv";
    public static final String REFERENCES_CSV = "references.csv";
    public static final String ACTIVATIONS_CSV = "activations-summary.csv";
    public static final String MARKDOWN = "report.md";

    private final ResultsFolder folder;
    private final double targetAccuracy;
    private final Table runs;
    private final Table overSeeds;
    private final Table contrasts;
    private final Table references;
    private final Table activations;
    private final List<String> headline;
    private final ProbeReport probe;
    private List<String> plots = List.of();
    /** The inference-phase tables ({@link AnalysisTables}); empty when no run has been analysed. */
    private AnalysisTables analysis;

    private ExperimentReport(ResultsFolder folder, Path dir, double targetAccuracy, ProbeReport probe) {
        this.folder = folder;
        this.probe = probe;
        this.targetAccuracy = targetAccuracy;
        this.runs = RunsTable.build(folder, targetAccuracy);
        this.overSeeds = OverSeedsTable.build(runs, folder);
        List<ContrastTable.Row> rows = ContrastTable.rows(folder, dir, targetAccuracy);
        this.contrasts = ContrastTable.build(rows);
        this.references = ReferenceTable.build(folder);
        this.activations = ActivationsSummaryTable.build(folder);
        this.headline = Headline.lines(folder, rows);
    }

    /**
     * Reads every finished run under {@code dir} and builds the report.
     *
     * @param targetAccuracy test accuracy (a fraction in (0, 1]) for {@code epochs_to_target}
     * @throws IllegalStateException if no run there has finished
     * @throws ResultsException      if a summary, metrics, activations or experiment file is corrupt (naming it)
     */
    public static ExperimentReport build(Path dir, double targetAccuracy) {
        if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
            throw new IllegalArgumentException("target accuracy must be a fraction in (0, 1], got " + targetAccuracy
                    + (targetAccuracy > 1 && targetAccuracy <= 100 ? " (did you mean " + targetAccuracy / 100 + "?)" : ""));
        }
        ResultsFolder folder = ResultsFolder.read(dir);
        if (folder.runs().isEmpty()) {
            throw new IllegalStateException("no finished runs in " + dir
                    + ": no sub-folder has a summary.json yet (runs write it when they complete or diverge)");
        }
        ExperimentReport report = new ExperimentReport(folder, dir, targetAccuracy, ProbeReport.read(dir, folder));
        report.analysis = AnalysisTables.build(folder, dir);
        return report;
    }

    public Table runs() {
        return runs;
    }

    public Table overSeeds() {
        return overSeeds;
    }

    public Table contrasts() {
        return contrasts;
    }

    public Table references() {
        return references;
    }

    public Table activations() {
        return activations;
    }

    /** The answer in a few lines; see {@link Headline}. */
    public List<String> headline() {
        return headline;
    }

    /** The dotted paths that vary between the runs, seed last. */
    public List<String> varying() {
        return folder.varying();
    }

    /**
     * The headline and a narrow over-seeds table (the arm's settings and its final accuracy: mean, sd, n, 95% CI),
     * for the console; it fits 120 characters for the default experiment.
     */
    public void printTo(PrintStream out) {
        List<String> arms = folder.arms().stream().map(folder::shortName).toList();
        Table narrow = Table.create("Final test accuracy (%) over seeds");
        arms.forEach(a -> narrow.addColumns(overSeeds.stringColumn(a).copy()));
        narrow.addColumns(overSeeds.intColumn(OverSeedsTable.RUNS).copy(),
                overSeeds.intColumn(OverSeedsTable.DIVERGED).copy().setName("div"),
                overSeeds.doubleColumn(OverSeedsTable.FINAL_MEAN).copy().setName("mean"),
                overSeeds.doubleColumn(OverSeedsTable.FINAL_SD).copy().setName("sd"),
                overSeeds.intColumn(OverSeedsTable.FINAL_N).copy().setName("n"));
        StringColumn interval = StringColumn.create("95% CI");
        for (int row = 0; row < overSeeds.rowCount(); row++) {
            double low = overSeeds.doubleColumn(OverSeedsTable.FINAL_CI_LOW).getDouble(row);
            double high = overSeeds.doubleColumn(OverSeedsTable.FINAL_CI_HIGH).getDouble(row);
            interval.append(Double.isNaN(low) ? "" : Numbers.fixed(low, 1) + " to " + Numbers.fixed(high, 1));
        }
        narrow.addColumns(interval);
        out.println(narrow.printAll());
        out.println();
        headline.forEach(out::println);
        completeness().forEach(out::println);
    }

    /**
     * What the tables leave out, in words: finished runs that are not runs of the recorded plan (an earlier plan of
     * the same folder; the tables keep them apart by the settings in which they differ), and the runs of the plan
     * that have not finished (failed, pending, running).
     */
    public List<String> completeness() {
        List<String> lines = new ArrayList<>();
        if (!folder.notInPlan().isEmpty()) {
            lines.add(folder.notInPlan().size() + " finished run" + (folder.notInPlan().size() == 1 ? " is" : "s are")
                    + " not in the current plan (experiment.json), kept apart by the settings in which they differ: "
                    + String.join(", ", folder.notInPlan()));
        }
        if (!folder.unfinished().isEmpty()) {
            lines.add(folder.unfinished().size() + " run" + (folder.unfinished().size() == 1 ? "" : "s")
                    + " of the plan not finished, not in the tables: " + String.join("; ", folder.unfinished()));
        }
        return lines;
    }

    /** Writes the CSV files, the plots and the Markdown report into {@code dir}, each atomically. */
    public void writeTo(Path dir) {
        AtomicFiles.writeString(dir.resolve(RUNS_CSV), csv(runs));
        AtomicFiles.writeString(dir.resolve(OVER_SEEDS_CSV), csv(overSeeds));
        AtomicFiles.writeString(dir.resolve(CONTRASTS_CSV), csv(contrasts));
        if (!references.isEmpty()) {
            AtomicFiles.writeString(dir.resolve(REFERENCES_CSV), csv(references));
        }
        AtomicFiles.writeString(dir.resolve(ACTIVATIONS_CSV), csv(activations));
        plots = new java.util.ArrayList<>(ReportPlots.write(dir, folder));
        plots.addAll(probe.writeTo(dir));
        analysis.writeTo(dir);
        AtomicFiles.writeString(dir.resolve(MARKDOWN), toMarkdown());
    }

    /** The whole report as Markdown. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder("# " + folder.name() + "\n\n");
        if (!folder.question().isEmpty()) {
            md.append("**Question.** ").append(folder.question()).append("\n\n");
        }
        if (!folder.source().isEmpty()) {
            md.append("**Source.** ").append(folder.source()).append("\n\n");
        }
        md.append("## What was run\n\n");
        md.append(folder.runs().size()).append(" finished runs; what varies: ")
                .append(folder.varying().isEmpty() ? "nothing" : String.join(", ", folder.varying())).append(".\n");
        completeness().forEach(line -> md.append("\n").append(line).append(".\n"));
        if (!folder.overrides().isEmpty()) {
            md.append("Command-line changes to the experiment file: `").append(String.join(" ", folder.overrides()))
                    .append("`.\n");
        }
        if (!folder.commonSettings().isEmpty()) {
            md.append("\nSettings shared by every run that differ from the defaults:\n\n");
            folder.commonSettings().forEach((path, value) -> md.append("- `").append(path).append(" = ")
                    .append(value).append("`\n"));
        }
        md.append("\n## Answer\n\n");
        headline.forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\nMeans are over seeds; sd is the sample standard deviation; a difference is treatment minus "
                + "baseline in percentage points with its 95% Welch confidence interval. A run that diverged "
                + "(loss NaN, infinite or exploding) before finishing an epoch has no final accuracy and is not in "
                + "the means; the counts of diverged runs are given beside them.\n\n");
        md.append("## Over seeds\n\nFinal test accuracy (%) per arm: `runs`, how many `diverged`, `final_mean`, "
                + "`final_sd`, `final_n` (runs with a value), 95% Student t interval `final_ci_low`..`final_ci_high` "
                + "(empty below 2 values); `best_mean`, `best_sd` for the best epoch.\n\n")
                .append(MarkdownTable.render(overSeeds)).append('\n');
        if (!plots.isEmpty()) {
            md.append("## Plots\n\n");
            plots.forEach(p -> md.append("![").append(p).append("](").append(p).append(")\n\n"));
        }
        if (!contrasts.isEmpty()) {
            md.append("## Contrasts\n\n").append(MarkdownTable.render(contrasts)).append('\n');
        }
        md.append(analysis.markdown());
        if (!references.isEmpty()) {
            md.append("## Published vs measured\n\n").append(MarkdownTable.render(references)).append('\n');
        }
        md.append("## Runs\n\n`epochs` = epochs completed; `diverged_epoch` = the epoch in which the loss became NaN "
                + "or infinite or exploded; `final_test_acc_pct` = after the last completed epoch; "
                + "`epochs_to_target` / `steps_to_target` / `seconds_to_target` = first epoch at which test accuracy "
                + "reached " + Numbers.fixed(targetAccuracy * 100, 2) + "%, and training steps and elapsed seconds "
                + "at its end.\n\n")
                .append(MarkdownTable.render(runs));
        if (!activations.isEmpty()) {
            md.append("\n## Activations\n\nPer-layer activation statistics at each run's last snapshot: `")
                    .append(ACTIVATIONS_CSV).append("`; every snapshot of a run: `<run>/activations.csv`.\n");
        }
        if (!probe.isEmpty()) {
            md.append("\n## Probe\n\nEach run's weight layers measured on a fixed batch of test images at training "
                    + "snapshots (`<run>/probe.csv`): percentiles of the pre-activation (Ioffe and Szegedy 2015, "
                    + "Figure 1), weight and gradient norms, BN's running against batch statistics. Plotted: ")
                    .append(String.join(", ", probe.layers())).append("; per arm and layer, first against last "
                    + "snapshot: `").append(ProbeReport.SUMMARY_CSV).append("`.\n");
        }
        return md.toString();
    }

    /** Raw values, not the print format, so that the CSV loses nothing for later analysis. */
    static String csv(Table table) {
        StringWriter out = new StringWriter();
        table.write().csv(CsvWriteOptions.builder(out).build());
        return out.toString();
    }
}
