package org.bnlab.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;
import java.util.Map;

/**
 * A comparison an experiment declares: runs matching {@code treatment} against runs matching {@code baseline},
 * within each combination of the other varying settings, as the difference of the means of {@code metric}
 * (treatment minus baseline, in the metric's unit) with its 95% Welch interval over seeds. Written in a file as
 * {@code "model.normalization: batchnorm vs none"} or as an object with {@code name}, {@code treatment} and
 * {@code baseline} (each a mapping of dotted paths to values) and optionally {@code metric}. Values are compared as
 * values ({@code 1e-1} selects runs at 0.1). A setting zipped with a named one moves with it when each side selects
 * one of its values (see {@link Contrasts#pairs}).
 *
 * @param name      how tables and the headline call it, e.g. {@code BN vs no-BN (zero-residual)}
 * @param treatment dotted path -> value that select the treatment runs
 * @param baseline  dotted path -> value that select the baseline runs
 * @param metric    what is compared, one of {@link #METRICS}; {@value #FINAL_ACCURACY} when not given
 * @param where     where it was declared ({@code experiments/x.yaml, line 12}), for errors; not recorded
 */
public record Contrast(String name, Map<String, String> treatment, Map<String, String> baseline, String metric,
                       @JsonIgnore String where) {

    /** Final test accuracy (running statistics), percent: the default. */
    public static final String FINAL_ACCURACY = "final_test_acc_pct";
    /** Best test accuracy over the epochs, percent. */
    public static final String BEST_ACCURACY = "best_test_acc_pct";
    /** Test loss after the last completed epoch, nats. */
    public static final String FINAL_LOSS = "final_test_loss";
    /** First epoch whose test accuracy reached the target. */
    public static final String EPOCHS_TO_TARGET = "epochs_to_target";
    /** Training steps up to the end of that epoch. */
    public static final String STEPS_TO_TARGET = "steps_to_target";
    /** bnlab analyze, precise BN (statistics re-estimated over training batches), percent. */
    public static final String PRECISE_ACCURACY = "precise_acc_pct";
    /** bnlab analyze, each test batch's own statistics at the largest test batch size evaluated, percent. */
    public static final String BATCH_ACCURACY = "batch_acc_pct";
    /** bnlab analyze, AdaBN: statistics re-estimated on the shifted test images, mean over shifts and severities. */
    public static final String ADABN_ACCURACY = "adabn_acc_pct";
    public static final List<String> METRICS = List.of(FINAL_ACCURACY, BEST_ACCURACY, FINAL_LOSS, EPOCHS_TO_TARGET,
            STEPS_TO_TARGET, PRECISE_ACCURACY, BATCH_ACCURACY, ADABN_ACCURACY);

    public Contrast {
        treatment = Map.copyOf(treatment);
        baseline = Map.copyOf(baseline);
        metric = metric == null ? FINAL_ACCURACY : metric; // absent in records of earlier versions
        if (treatment.isEmpty() || baseline.isEmpty()) {
            throw new IllegalArgumentException("contrast " + name + " needs a treatment and a baseline");
        }
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("unknown metric '" + metric + "' (known: "
                    + String.join(", ", METRICS) + ")");
        }
    }

    /** A contrast of the final test accuracy, declared in code. */
    public Contrast(String name, Map<String, String> treatment, Map<String, String> baseline) {
        this(name, treatment, baseline, FINAL_ACCURACY, null);
    }

    /** Equal when they compare the same thing; where they were declared does not count. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Contrast c && java.util.Objects.equals(name, c.name) && treatment.equals(c.treatment)
                && baseline.equals(c.baseline) && metric.equals(c.metric);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, treatment, baseline, metric);
    }

    /** Whether the metric is a fraction of the test images in percent (so that a difference is in points). */
    public boolean inPercent() {
        return metric.endsWith("_pct");
    }
}
