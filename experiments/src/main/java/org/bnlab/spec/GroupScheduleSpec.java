package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A parameter group's own learning-rate schedule: {@code exponential}, {@code lr_t = lr * decay_per_epoch^epoch}
 * (epoch counted from 0), the seeds' learning-rate adjustment for BN layers.
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"type", "decay_per_epoch"})
public record GroupScheduleSpec(
        @JsonPropertyDescription("`exponential` (the only one)")
        String type,
        @JsonPropertyDescription("the factor per epoch, in (0, 1]")
        double decayPerEpoch) {

    public static final String EXPONENTIAL = "exponential";

    public GroupScheduleSpec {
        require(EXPONENTIAL.equals(type), "type", "group schedule type must be exponential, got " + type);
        require(decayPerEpoch > 0 && decayPerEpoch <= 1, "decay_per_epoch",
                "decay per epoch must be in (0, 1], got " + decayPerEpoch);
    }
}
