package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How a run is evaluated after every epoch: top-1 accuracy and loss on the evaluation set, in inference mode
 * (BN with its running statistics).
 *
 * @param batchSize      images per evaluation batch (the result does not depend on it in inference mode)
 * @param targetAccuracy the test accuracy (a fraction in (0, 1]) whose epochs and seconds to reach the report shows
 */
@JsonPropertyOrder({"batch_size", "target_accuracy"})
public record EvalSpec(int batchSize, double targetAccuracy) {

    public static final EvalSpec DEFAULT = new EvalSpec(256, 0.4);

    public EvalSpec {
        require(batchSize >= 1, "batch_size", "evaluation batch size must be at least 1, got " + batchSize);
        require(targetAccuracy > 0 && targetAccuracy <= 1, "target_accuracy",
                "target accuracy must be a fraction in (0, 1], got "
                + targetAccuracy + (targetAccuracy > 1 && targetAccuracy <= 100
                ? " (did you mean " + targetAccuracy / 100 + "?)" : ""));
    }
}
