package org.bnlab.report;

import org.bnlab.io.AtomicFiles;

import java.nio.file.Path;
import java.util.List;

/** The sections every report has, in the order {@link ExperimentReport#SECTIONS} lists them. */
final class CoreSections {

    private CoreSections() {
    }

    /** The title, the question and source, what was run, and the answer (the headline). */
    record Overview(ExperimentReport report) implements ReportSection {
        @Override
        public String markdown(List<String> plots) {
            ResultsFolder folder = report.folder();
            StringBuilder md = new StringBuilder("# " + folder.name() + "\n\n");
            if (!folder.question().isEmpty()) {
                md.append("**Question.** ").append(folder.question()).append("\n\n");
            }
            if (!folder.source().isEmpty()) {
                md.append("**Source.** ").append(folder.source()).append("\n\n");
            }
            md.append("## What was run\n\n");
            md.append(folder.runs().size()).append(" finished runs; what varies: ")
                    .append(folder.varying().isEmpty() ? "nothing" : String.join(", ", folder.varying()))
                    .append(".\n");
            report.completeness().forEach(line -> md.append("\n").append(line).append(".\n"));
            if (!folder.overrides().isEmpty()) {
                md.append("Command-line changes to the experiment file: `")
                        .append(String.join(" ", folder.overrides())).append("`.\n");
            }
            if (!folder.commonSettings().isEmpty()) {
                md.append("\nSettings shared by every run that differ from the defaults:\n\n");
                folder.commonSettings().forEach((path, value) -> md.append("- `").append(path).append(" = ")
                        .append(value).append("`\n"));
            }
            md.append("\n## Answer\n\n");
            report.headline().forEach(line -> md.append("- ").append(line).append('\n'));
            md.append("\nMeans are over seeds; sd is the sample standard deviation; a difference is treatment minus "
                    + "baseline in percentage points with its 95% Welch confidence interval. A run that diverged "
                    + "(loss NaN, infinite or exploding) before finishing an epoch has no final accuracy and is not "
                    + "in the means; the counts of diverged runs are given beside them.\n\n");
            return md.toString();
        }
    }

    /** Final accuracy per arm over seeds ({@link OverSeedsTable}, {@value ExperimentReport#OVER_SEEDS_CSV}). */
    record OverSeeds(ExperimentReport report) implements ReportSection {
        @Override
        public List<String> writeTo(Path dir) {
            AtomicFiles.writeString(dir.resolve(ExperimentReport.OVER_SEEDS_CSV),
                    CsvTable.csv(report.overSeeds()));
            return List.of();
        }

        @Override
        public String markdown(List<String> plots) {
            return "## Over seeds\n\nFinal test accuracy (%) per arm: `runs`, how many `diverged`, `final_mean`, "
                    + "`final_sd`, `final_n` (runs with a value), 95% Student t interval "
                    + "`final_ci_low`..`final_ci_high` (empty below 2 values); `best_mean`, `best_sd` for the best epoch.\n\n"
                    + MarkdownTable.render(report.overSeeds()) + '\n';
        }
    }

    /** The training plots ({@link ReportPlots}), and the block that links every plot of the report. */
    record Plots(ExperimentReport report) implements ReportSection {
        @Override
        public List<String> writeTo(Path dir) {
            return ReportPlots.write(dir, report.folder());
        }

        @Override
        public String markdown(List<String> plots) {
            if (plots.isEmpty()) {
                return "";
            }
            StringBuilder md = new StringBuilder("## Plots\n\n");
            plots.forEach(p -> md.append("![").append(p).append("](").append(p).append(")\n\n"));
            return md.toString();
        }
    }

    /** The declared contrasts with their intervals ({@link ContrastTable}, {@value ExperimentReport#CONTRASTS_CSV}). */
    record Contrasts(ExperimentReport report) implements ReportSection {
        @Override
        public List<String> writeTo(Path dir) {
            AtomicFiles.writeString(dir.resolve(ExperimentReport.CONTRASTS_CSV),
                    CsvTable.csv(report.contrasts()));
            return List.of();
        }

        @Override
        public String markdown(List<String> plots) {
            return report.contrasts().isEmpty() ? ""
                    : "## Contrasts\n\n" + MarkdownTable.render(report.contrasts()) + '\n';
        }
    }

    /** The inference-phase tables of {@code bnlab analyze} ({@link AnalysisTables}); empty when none ran. */
    record Analysis(ExperimentReport report) implements ReportSection {
        @Override
        public List<String> writeTo(Path dir) {
            report.analysis().writeTo(dir);
            return List.of();
        }

        @Override
        public String markdown(List<String> plots) {
            return report.analysis().markdown();
        }
    }

    /** Published values beside the measured ones ({@link ReferenceTable}), when the experiment gives some. */
    record References(ExperimentReport report) implements ReportSection {
        @Override
        public List<String> writeTo(Path dir) {
            if (!report.references().isEmpty()) {
                AtomicFiles.writeString(dir.resolve(ExperimentReport.REFERENCES_CSV),
                        CsvTable.csv(report.references()));
            }
            return List.of();
        }

        @Override
        public String markdown(List<String> plots) {
            return report.references().isEmpty() ? ""
                    : "## Published vs measured\n\n" + MarkdownTable.render(report.references()) + '\n';
        }
    }

    /** One row per run ({@link RunsTable}, {@value ExperimentReport#RUNS_CSV}). */
    record Runs(ExperimentReport report) implements ReportSection {
        @Override
        public List<String> writeTo(Path dir) {
            AtomicFiles.writeString(dir.resolve(ExperimentReport.RUNS_CSV), CsvTable.csv(report.runs()));
            return List.of();
        }

        @Override
        public String markdown(List<String> plots) {
            return "## Runs\n\n`epochs` = epochs completed; `diverged_epoch` = the epoch in which the loss became NaN "
                    + "or infinite or exploded; `final_test_acc_pct` = after the last completed epoch; "
                    + "`epochs_to_target` / `steps_to_target` / `seconds_to_target` = first epoch at which test "
                    + "accuracy reached " + Numbers.fixed(report.targetAccuracy() * 100, 2) + "%, and training steps "
                    + "and elapsed seconds at its end.\n\n"
                    + MarkdownTable.render(report.runs());
        }
    }

    /**
     * Activation statistics at each run's last snapshot ({@link ActivationsSummaryTable},
     * {@value ExperimentReport#ACTIVATIONS_CSV}, written even when empty); their depth plot is one of the training
     * plots.
     */
    record Activations(ExperimentReport report) implements ReportSection {
        @Override
        public List<String> writeTo(Path dir) {
            AtomicFiles.writeString(dir.resolve(ExperimentReport.ACTIVATIONS_CSV),
                    CsvTable.csv(report.activations()));
            return List.of();
        }

        @Override
        public String markdown(List<String> plots) {
            return report.activations().isEmpty() ? ""
                    : "\n## Activations\n\nPer-layer activation statistics at each run's last snapshot: `"
                    + ExperimentReport.ACTIVATIONS_CSV + "`; every snapshot of a run: `<run>/activations.csv`.\n";
        }
    }
}
