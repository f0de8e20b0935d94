package org.bnlab.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.bnlab.data.Layout;
import org.bnlab.model.KernelPath;

import java.util.Objects;

/**
 * How the computation runs. The network's function and parameters are the same either way (tests compare them);
 * floating-point summation order, and so the last digits, can differ between paths.
 *
 * <p>Both settings concern convolutions: an MLP ({@code model.architecture: mlp}) reads its batches as NCHW and
 * flattens them channel-major whatever the layout says, and has no layers for the oneDNN kernels (its Dense and
 * BatchNorm layers are DL4J's either way), so for an MLP neither setting changes anything.
 *
 * <p>Each setting is described on its component ({@link SettingsTable} lists them).
 */
@JsonPropertyOrder({"layout", "kernels"})
public record ExecutionSpec(
        @JsonPropertyDescription("activation layout, `nhwc` (fast with the oneDNN kernels) or `nchw`")
        Layout layout,
        @JsonPropertyDescription("`onednn`: bnlab's layers calling oneDNN directly; `dl4j`: DL4J's own layers")
        KernelPath kernels) {

    public static final ExecutionSpec DEFAULT = new ExecutionSpec(Layout.NHWC, KernelPath.ONEDNN);

    public ExecutionSpec {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(kernels, "kernels");
    }
}
