package org.bnlab.report;

import java.util.List;
import java.util.Optional;

import org.bnlab.measure.ActivationStatsMeasurement;
import org.bnlab.results.ActivationRow;
import org.bnlab.results.EpochMetrics;
import org.bnlab.results.ResultsException;
import org.bnlab.results.RunFolder;
import org.bnlab.results.RunStatus;
import org.bnlab.results.RunSummary;

/**
 * A finished run as the report sees it: its summary, the epochs it recorded, and the rows of its first and last
 * activation snapshots (none if it recorded no activation statistics).
 */
record FinishedRun(RunSummary summary, List<EpochMetrics> epochs, List<ActivationRow> firstActivationSnapshot,
                   List<ActivationRow> lastActivationSnapshot) {

    FinishedRun {
        epochs = List.copyOf(epochs);
        firstActivationSnapshot = List.copyOf(firstActivationSnapshot);
        lastActivationSnapshot = List.copyOf(lastActivationSnapshot);
    }

    /**
     * Reads a finished run folder; a corrupt summary, metrics or activations file throws {@link ResultsException}
     * naming it.
     */
    static FinishedRun load(RunFolder folder) {
        RunSummary summary = folder.readSummary()
                .orElseThrow(() -> new ResultsException("run is not finished, no " + folder.summaryFile()));
        List<ActivationRow> activations = ActivationStatsMeasurement.RECORDS.read(folder);
        return new FinishedRun(summary, folder.readMetrics(), firstSnapshot(activations), lastSnapshot(activations));
    }

    /** The rows of the first (epoch, iteration) in the file: the initialised network. */
    private static List<ActivationRow> firstSnapshot(List<ActivationRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        ActivationRow first = rows.get(0);
        return rows.stream().filter(r -> r.epoch() == first.epoch() && r.iteration() == first.iteration()).toList();
    }

    /** The rows of the last (epoch, iteration) in the file, which holds snapshots in training order. */
    private static List<ActivationRow> lastSnapshot(List<ActivationRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        ActivationRow last = rows.get(rows.size() - 1);
        return rows.stream().filter(r -> r.epoch() == last.epoch() && r.iteration() == last.iteration()).toList();
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
