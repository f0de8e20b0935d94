package org.bnlab.report;

import java.util.List;
import java.util.Optional;

import org.bnlab.results.EpochMetrics;
import org.bnlab.results.ResultsException;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;

/** A finished run as the report sees it: its summary and the epochs it recorded. */
record FinishedRun(RunSummary summary, List<EpochMetrics> epochs) {

    FinishedRun {
        epochs = List.copyOf(epochs);
    }

    /** Reads a finished run folder; a corrupt summary or metrics file throws {@link ResultsException} naming it. */
    static FinishedRun load(RunFolder folder) {
        RunSummary summary = folder.readSummary()
                .orElseThrow(() -> new ResultsException("run is not finished, no " + folder.summaryFile()));
        return new FinishedRun(summary, folder.readMetrics());
    }

    /** The first recorded epoch whose test accuracy is at least {@code target} (0..1), if any. */
    Optional<EpochMetrics> firstEpochReaching(double target) {
        // NaN accuracies compare false, so an epoch with no valid evaluation never counts as reaching it.
        return epochs.stream().filter(e -> e.testAccuracy() >= target).findFirst();
    }

    boolean diverged() {
        return summary.status() == RunStatus.DIVERGED;
    }
}
