package org.bnlab.report;

import org.bnlab.experiment.Settings;

import java.util.Map;

/**
 * A finished run with its values of what varies in its results folder.
 *
 * @param finished the run's summary, metrics and activation snapshots
 * @param values   dotted path -> value as text, for every varying path ({@code seed} included)
 * @param settings dotted path -> value as text, for every setting the run's files give ({@code config.json},
 *                 {@code run.json}, {@code summary.json}): what contrasts and references match against
 */
record ReportRun(FinishedRun finished, Map<String, String> values, Map<String, String> settings) {

    ReportRun {
        values = Map.copyOf(values);
        settings = Map.copyOf(settings);
    }

    String value(String path) {
        return values.getOrDefault(path, "");
    }

    /** Whether the run has every value of {@code selector} (path -> value), compared as values. */
    boolean matches(Map<String, String> selector) {
        return Settings.matches(selector, settings);
    }

    /** Final test accuracy in percent, NaN when the run has none (it diverged in its first epoch). */
    double finalPercent() {
        return Numbers.percent(finished.summary().finalTestAccuracy());
    }

    boolean diverged() {
        return finished.diverged();
    }
}
