package org.bnlab.measure;

import java.nio.file.Path;
import java.util.List;

/** A measurement's part of the experiment report: files written beside {@code report.md} and a Markdown section. */
public interface MeasurementReport {

    /** Adds nothing. */
    MeasurementReport NONE = new MeasurementReport() {
        @Override
        public List<String> writeTo(Path dir) {
            return List.of();
        }

        @Override
        public String markdown() {
            return "";
        }
    };

    /**
     * Writes the part's tables and plots into the report folder {@code dir} (plots under {@code plots/}), each
     * atomically; returns the plots' paths relative to {@code dir}, in the order the report links them.
     */
    List<String> writeTo(Path dir);

    /** The part's Markdown section (starting with a blank line and a {@code ##} title), or "" for none. */
    String markdown();
}
