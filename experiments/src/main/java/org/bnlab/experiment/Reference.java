package org.bnlab.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Map;

/**
 * A published value to show beside the measured one (the paper-vs-measured table).
 *
 * @param match  dotted path -> value that select the runs it refers to (e.g. {@code model.depth: 20}), matched as
 *               values against every resolved setting of a run, not only the varying ones
 * @param metric {@code test_error_pct} or {@code final_test_acc_pct}
 * @param value  the published value, in the metric's unit (percent)
 * @param source where it is published, e.g. {@code He et al. 2016, Table 6}
 * @param where  where it was declared ({@code experiments/x.yaml, line 12}), for errors; not recorded
 */
public record Reference(Map<String, String> match, String metric, double value, String source,
                        @JsonIgnore String where) {

    public static final String TEST_ERROR = "test_error_pct";
    public static final String FINAL_ACCURACY = "final_test_acc_pct";

    public Reference {
        match = Map.copyOf(match);
        if (!metric.equals(TEST_ERROR) && !metric.equals(FINAL_ACCURACY)) {
            throw new IllegalArgumentException("reference metric must be " + TEST_ERROR + " or " + FINAL_ACCURACY
                    + ", got " + metric);
        }
    }

    /** Equal when they refer to the same runs and value; where they were declared does not count. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Reference r && match.equals(r.match) && metric.equals(r.metric)
                && Double.compare(value, r.value) == 0 && java.util.Objects.equals(source, r.source);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(match, metric, value, source);
    }

    /** A reference declared in code. */
    public Reference(Map<String, String> match, String metric, double value, String source) {
        this(match, metric, value, source, null);
    }
}
