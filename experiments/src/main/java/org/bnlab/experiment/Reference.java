package org.bnlab.experiment;

import java.util.Map;

/**
 * A published value to show beside the measured one (the paper-vs-measured table).
 *
 * @param match  dotted path -> value that select the runs it refers to (e.g. {@code model.depth: 20})
 * @param metric {@code test_error_pct} or {@code final_test_acc_pct}
 * @param value  the published value, in the metric's unit (percent)
 * @param source where it is published, e.g. {@code He et al. 2016, Table 6}
 */
public record Reference(Map<String, String> match, String metric, double value, String source) {

    public static final String TEST_ERROR = "test_error_pct";
    public static final String FINAL_ACCURACY = "final_test_acc_pct";

    public Reference {
        match = Map.copyOf(match);
        if (!metric.equals(TEST_ERROR) && !metric.equals(FINAL_ACCURACY)) {
            throw new IllegalArgumentException("reference metric must be " + TEST_ERROR + " or " + FINAL_ACCURACY
                    + ", got " + metric);
        }
    }
}
