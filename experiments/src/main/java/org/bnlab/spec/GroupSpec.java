package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The training settings of one parameter group (see {@link GroupsSpec}); a {@code null} setting is the shared one
 * of {@code train}.
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"trainable", "learning_rate", "schedule", "weight_decay"})
public record GroupSpec(
        @JsonPropertyDescription("false: the group stays at its initialisation (no updates, no weight decay), as in "
                + "Frankle et al. 2021, \"Training BatchNorm and only BatchNorm\"")
        boolean trainable,
        @JsonPropertyDescription("the group's own initial learning rate, positive; null = `train.learning_rate`")
        Double learningRate,
        @JsonPropertyDescription("the group's own schedule; null = the shared step schedule (`train.schedule`) "
                + "scaled to the group's learning rate")
        GroupScheduleSpec schedule,
        @JsonPropertyDescription("L2 weight decay on the group's weights (never on biases), >= 0; null = "
                + "`train.weight_decay`")
        Double weightDecay) {

    /** Every setting the shared one. */
    public static final GroupSpec SHARED = new GroupSpec(true, null, null, null);

    public GroupSpec {
        require(learningRate == null || (learningRate > 0 && Double.isFinite(learningRate)), "learning_rate",
                "learning rate must be positive (or null for train.learning_rate), got " + learningRate);
        require(weightDecay == null || (weightDecay >= 0 && Double.isFinite(weightDecay)), "weight_decay",
                "weight decay must be >= 0 (or null for train.weight_decay), got " + weightDecay);
    }
}
