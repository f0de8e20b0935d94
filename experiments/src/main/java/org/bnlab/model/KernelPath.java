package org.bnlab.model;

/**
 * Which code computes the convolutions and BatchNorm layers of a ResNet. The network, its parameters and its numbers
 * are the same either way (tests compare them); only the speed differs. An {@link Mlp} has no convolutions and is
 * built from DL4J's own layers on either path.
 */
public enum KernelPath {
    /** DL4J's own layers (libnd4j operations, with DL4J's oneDNN or cuDNN helpers where active). */
    DL4J("dl4j"),
    /**
     * bnlab's layers whose forward and backward call oneDNN primitives directly ({@code org.bnlab.kernels}), with
     * BN and the following ReLU fused. Fast on CPU in the NHWC layout. Where oneDNN cannot run (the CUDA backend,
     * unusual layer settings) these layers fall back to DL4J's computation, so the choice is always safe.
     */
    ONEDNN("onednn");

    private final String id;

    KernelPath(String id) {
        this.id = id;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return id;
    }

    public static KernelPath parse(String text) {
        return Names.parse(KernelPath.class, text, values(), KernelPath::id);
    }

    @Override
    public String toString() {
        return id;
    }
}
