package org.bnlab.report;

import java.nio.file.Path;
import java.util.List;

/**
 * One part of an experiment's report: the files it writes beside {@code report.md} and its Markdown. A section is
 * built from the {@link ExperimentReport} (its results folder, tables and headline) once the report is read, and
 * registered by one line in {@link ExperimentReport#SECTIONS}, whose order is the order of {@code report.md}.
 */
interface ReportSection {

    /**
     * Writes the section's CSV files and plots into the report folder {@code dir} (plots under
     * {@value ReportPlots#FOLDER}/), each atomically; returns the plots' paths relative to {@code dir}, which the
     * report links in its "Plots" block in section order. Writes nothing by default.
     */
    default List<String> writeTo(Path dir) {
        return List.of();
    }

    /**
     * The section's Markdown ("" for none); {@code plots} are every plot the report has written (empty before
     * {@link ExperimentReport#writeTo}), for a section that links them.
     */
    String markdown(List<String> plots);
}
