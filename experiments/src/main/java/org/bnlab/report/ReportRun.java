package org.bnlab.report;

import java.util.Map;

/**
 * A finished run with its values of what varies in its results folder.
 *
 * @param finished the run's summary, metrics and activation snapshots
 * @param values   dotted path -> value as text, for every varying path ({@code seed} included)
 */
record ReportRun(FinishedRun finished, Map<String, String> values) {

    ReportRun {
        values = Map.copyOf(values);
    }

    String value(String path) {
        return values.getOrDefault(path, "");
    }

    /** Whether the run has every value of {@code selector} (path -> value). */
    boolean matches(Map<String, String> selector) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(values.get(e.getKey())));
    }

    /** Final test accuracy in percent, NaN when the run has none (it diverged in its first epoch). */
    double finalPercent() {
        return Numbers.percent(finished.summary().finalTestAccuracy());
    }

    boolean diverged() {
        return finished.diverged();
    }
}
