package org.bnlab.experiment;

import java.util.Map;

/**
 * A comparison an experiment declares: runs matching {@code treatment} against runs matching {@code baseline},
 * within each combination of the other varying settings, as the difference of mean final test accuracy (treatment
 * minus baseline, percentage points) with its 95% Welch interval over seeds. Written in a file as
 * {@code "model.normalization: batchnorm vs none"} or as an object with {@code name}, {@code treatment} and
 * {@code baseline} (each a mapping of dotted paths to values).
 *
 * @param name      how tables and the headline call it, e.g. {@code BN vs no-BN (zero-residual)}
 * @param treatment dotted path -> value that select the treatment runs
 * @param baseline  dotted path -> value that select the baseline runs
 */
public record Contrast(String name, Map<String, String> treatment, Map<String, String> baseline) {

    public Contrast {
        treatment = Map.copyOf(treatment);
        baseline = Map.copyOf(baseline);
        if (treatment.isEmpty() || baseline.isEmpty()) {
            throw new IllegalArgumentException("contrast " + name + " needs a treatment and a baseline");
        }
    }
}
