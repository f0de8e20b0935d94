package org.bnlab.report;

import org.bnlab.io.AtomicFiles;
import org.bnlab.results.ResultsException;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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
 * the plots under {@code plots/}, and each measurement's part when the runs recorded it ({@link MeasurementSections}).
 * Each part of the report is a {@link ReportSection}, registered in {@link #SECTIONS}.
 */
public final class ExperimentReport {

    public static final String RUNS_CSV = "runs.csv";
    public static final String OVER_SEEDS_CSV = "over-seeds.csv";
    public static final String CONTRASTS_CSV = "contrasts.csv";
    public static final String REFERENCES_CSV = "references.csv";
    public static final String ACTIVATIONS_CSV = "activations-summary.csv";
    public static final String MARKDOWN = "report.md";

    private final ResultsFolder folder;
    private final Path dir;
    private final double targetAccuracy;
    private final Table runs;
    private final Table overSeeds;
    private final Table contrasts;
    private final Table references;
    private final Table activations;
    private final List<String> headline;
    private List<ReportSection> sections = List.of();
    private List<String> plots = List.of();
    /** The inference-phase tables ({@link AnalysisTables}); empty when no run has been analysed. */
    private AnalysisTables analysis;

    private ExperimentReport(ResultsFolder folder, Path dir, double targetAccuracy) {
        this.folder = folder;
        this.dir = dir;
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
        ExperimentReport report = new ExperimentReport(folder, dir, targetAccuracy);
        report.analysis = AnalysisTables.build(folder, dir);
        report.sections = SECTIONS.stream().map(section -> section.apply(report)).toList();
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

    /**
     * The report's sections, in the order of {@code report.md} (and of the plots in its "Plots" block): the one place
     * a section is added. A measurement's part comes through {@link MeasurementSections} (registered in
     * {@link org.bnlab.measure.Measurements}), not here.
     */
    static final List<Function<ExperimentReport, ReportSection>> SECTIONS = List.of(
            CoreSections.Overview::new,
            CoreSections.OverSeeds::new,
            CoreSections.Plots::new,
            CoreSections.Contrasts::new,
            DegradationSection::new,
            CoreSections.Analysis::new,
            CoreSections.References::new,
            CoreSections.Runs::new,
            CoreSections.Activations::new,
            MeasurementSections::new);

    /** Writes each section's CSV files and plots, then the Markdown report, into {@code dir}, each atomically. */
    public void writeTo(Path dir) {
        List<String> written = new ArrayList<>();
        sections.forEach(section -> written.addAll(section.writeTo(dir)));
        plots = List.copyOf(written);
        AtomicFiles.writeString(dir.resolve(MARKDOWN), toMarkdown());
    }

    /** The whole report as Markdown: each section's, in order. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        sections.forEach(section -> md.append(section.markdown(plots)));
        return md.toString();
    }

    ResultsFolder folder() {
        return folder;
    }

    Path dir() {
        return dir;
    }

    double targetAccuracy() {
        return targetAccuracy;
    }

    AnalysisTables analysis() {
        return analysis;
    }
}
