package org.bnlab.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.bnlab.data.Layout;
import org.bnlab.model.KernelPath;

import java.util.Objects;

/**
 * How the computation runs. The network's function and parameters are the same either way (tests compare them);
 * floating-point summation order, and so the last digits, can differ between paths.
 *
 * @param layout  activation layout, {@code nhwc} (fast with the oneDNN kernels) or {@code nchw}
 * @param kernels {@code onednn}: bnlab's layers calling oneDNN directly; {@code dl4j}: DL4J's own layers
 */
@JsonPropertyOrder({"layout", "kernels"})
public record ExecutionSpec(Layout layout, KernelPath kernels) {

    public static final ExecutionSpec DEFAULT = new ExecutionSpec(Layout.NHWC, KernelPath.ONEDNN);

    public ExecutionSpec {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(kernels, "kernels");
    }
}
