package org.bnlab.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/**
 * The network's parameters in two groups with their own training settings: {@code batchnorm}, the affine
 * parameters of every normalization layer ({@code org.bnlab.norm.Normalizer#affineParameters}: BN's scale gamma and
 * shift beta, Ioffe and Szegedy 2015), and {@code weights}, every other trained parameter (convolution and dense
 * weights and biases). Running statistics (BN's mean and variance) are in neither group.
 *
 * <p>The default changes nothing: both trainable with the shared learning rate and schedule, the shared weight decay
 * on the weights and none on gamma and beta (DL4J never decays them, nor did bnlab before groups existed).
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"batchnorm", "weights"})
public record GroupsSpec(
        @JsonPropertyDescription("the normalization layers' affine parameters (BN's gamma and beta)")
        GroupSpec batchnorm,
        @JsonPropertyDescription("everything else that is trained")
        GroupSpec weights) {

    public static final GroupsSpec DEFAULT = new GroupsSpec(new GroupSpec(true, null, null, 0.0), GroupSpec.SHARED);

    public GroupsSpec {
        Objects.requireNonNull(batchnorm, "batchnorm");
        Objects.requireNonNull(weights, "weights");
    }
}
