package org.bnlab.spec;

import static org.bnlab.spec.Checks.require;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Set;

/**
 * Alternating training of the parameter groups (Frankle et al. 2021's separate training of BN parameters, in phases):
 * epochs are cut into phases of {@code alternateEveryEpochs}, and in each phase only one group, taken in turn from
 * {@code order}, is updated; the other gets no step and no weight decay (its momentum waits for its next phase).
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"alternate_every_epochs", "order"})
public record PhasesSpec(
        @JsonPropertyDescription("epochs per phase, at least 1")
        int alternateEveryEpochs,
        @JsonPropertyDescription("the groups in turn, `[batchnorm, weights]` or `[weights, batchnorm]`")
        List<String> order) {

    public static final String BATCHNORM = "batchnorm";
    public static final String WEIGHTS = "weights";

    public PhasesSpec {
        require(alternateEveryEpochs >= 1, "alternate_every_epochs",
                "epochs per phase must be at least 1, got " + alternateEveryEpochs);
        require(order != null && order.size() == 2 && Set.copyOf(order).equals(Set.of(BATCHNORM, WEIGHTS)), "order",
                "phase order must name batchnorm and weights once each, got " + order);
        order = List.copyOf(order);
    }

    /** Which phase of {@code order} a group trains in. */
    public int phaseOf(String group) {
        return order.indexOf(group);
    }
}
