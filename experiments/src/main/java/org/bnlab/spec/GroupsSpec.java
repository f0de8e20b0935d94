package org.bnlab.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/**
 * The network's parameters in two groups with their own training settings: {@code batchnorm}, the scale gamma and
 * shift beta of every BN layer (Ioffe and Szegedy 2015), and {@code weights}, every other trained parameter
 * (convolution and dense weights and biases). BN's running mean and variance are statistics, in neither group.
 *
 * <p>The default changes nothing: both trainable with the shared learning rate and schedule, the shared weight decay
 * on the weights and none on gamma and beta (DL4J never decays them, nor did bnlab before groups existed).
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"batchnorm", "weights"})
public record GroupsSpec(
        @JsonPropertyDescription("BN's gamma and beta")
        GroupSpec batchnorm,
        @JsonPropertyDescription("everything else that is trained")
        GroupSpec weights) {

    public static final GroupsSpec DEFAULT = new GroupsSpec(new GroupSpec(true, null, null, 0.0), GroupSpec.SHARED);

    public GroupsSpec {
        Objects.requireNonNull(batchnorm, "batchnorm");
        Objects.requireNonNull(weights, "weights");
    }
}
